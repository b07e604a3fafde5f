package io.parallelix.node.gpu.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TokenizerConfigTest {
    @Test
    void read_llama31_hugeModelMaxLengthIsNoLimitAndTemplateIsKept() throws TokenizerException {
        TokenizerConfig config = TokenizerConfig.read(TestTokenizers.config(TestTokenizers.LLAMA3));
        assertThat(config.modelMaxLength()).isZero(); // 1000000000000000019884624838656 in the file
        assertThat(config.bosToken()).isEqualTo("<|begin_of_text|>");
        assertThat(config.eosToken()).isEqualTo("<|eot_id|>");
        assertThat(config.padToken()).isNull();
        assertThat(config.cleanUpTokenizationSpaces()).isTrue();
        assertThat(config.addBosToken()).isNull();
        assertThat(config.chatTemplate())
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("<|start_header_id|>");
    }

    @Test
    void read_llama2_tokensBooleansAndNoTemplate() throws TokenizerException {
        TokenizerConfig config = TokenizerConfig.read(TestTokenizers.config(TestTokenizers.LLAMA2));
        assertThat(config)
                .isEqualTo(new TokenizerConfig(0, "<s>", "</s>", null, "<unk>", true, false, Map.of(), false));
        assertThat(config.chatTemplate()).isEmpty();
    }

    @Test
    void read_qwen3_nullBosAndATemplate() throws TokenizerException {
        TokenizerConfig config = TokenizerConfig.read(TestTokenizers.config(TestTokenizers.QWEN3));
        assertThat(config.modelMaxLength()).isEqualTo(131_072);
        assertThat(config.bosToken()).isNull();
        assertThat(config.eosToken()).isEqualTo("<|im_end|>");
        assertThat(config.padToken()).isEqualTo("<|endoftext|>");
        assertThat(config.unkToken()).isNull();
        assertThat(config.addBosToken()).isFalse();
        assertThat(config.chatTemplate())
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("<|im_start|>");
    }

    @Test
    void read_gemma3_allSpecialTokens() throws TokenizerException {
        TokenizerConfig config = TokenizerConfig.read(TestTokenizers.config(TestTokenizers.GEMMA3));
        assertThat(config.modelMaxLength()).isEqualTo(32_768);
        assertThat(config.bosToken()).isEqualTo("<bos>");
        assertThat(config.eosToken()).isEqualTo("<end_of_turn>");
        assertThat(config.padToken()).isEqualTo("<pad>");
        assertThat(config.unkToken()).isEqualTo("<unk>");
        assertThat(config.addBosToken()).isTrue();
        assertThat(config.addEosToken()).isFalse();
        assertThat(config.chatTemplate())
                .get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("<start_of_turn>");
    }

    @Test
    void read_objectTokensAndNamedTemplates_takeContentAndKeepEveryName() throws Exception {
        TokenizerConfig config = TokenizerConfig.read(write("""
                {"bos_token": {"__type": "AddedToken", "content": "<s>", "lstrip": false},
                 "eos_token": {"content": "</s>"}, "model_max_length": 512.0,
                 "chat_template": [{"name": "default", "template": "A"}, {"name": "tool_use", "template": "B"}]}
                """));
        assertThat(config.bosToken()).isEqualTo("<s>");
        assertThat(config.eosToken()).isEqualTo("</s>");
        assertThat(config.modelMaxLength()).isEqualTo(512);
        assertThat(config.chatTemplates()).containsExactlyInAnyOrderEntriesOf(Map.of("default", "A", "tool_use", "B"));
        assertThat(config.chatTemplate()).contains("A");
    }

    @Test
    void read_emptyObject_isAllAbsent() throws Exception {
        assertThat(TokenizerConfig.read(write("{}")))
                .isEqualTo(new TokenizerConfig(0, null, null, null, null, null, null, Map.of(), null));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"model_max_length\": \"512\"}                  | model_max_length must be a number",
                "{\"model_max_length\": -1}                       | model_max_length must be a whole number",
                "{\"model_max_length\": 512.5}                    | model_max_length must be a whole number",
                "{\"model_max_length\": 999999999999}             | model_max_length must be a whole number",
                "{\"bos_token\": 5}                               | bos_token must be a string",
                "{\"pad_token\": {\"text\": \"x\"}}               | pad_token must be a string",
                "{\"add_bos_token\": \"yes\"}                     | add_bos_token must be true, false or null",
                "{\"chat_template\": 3}                           | chat_template must be a string or a list",
                "{\"chat_template\": [{\"name\": 1}]}             | chat_template[0] must be an object",
                "{\"chat_template\": [{\"name\": \"a\", \"template\": \"x\"}, {\"name\": \"a\", \"template\": \"y\"}]} | chat_template[1] repeats",
                "{\"eos_token\": \"a\", \"eos_token\": \"b\"}     | Duplicate field 'eos_token'",
                "[]                                               | the top level must be a JSON object",
                "not json                                         | cannot read",
            })
    void read_wrongKind_failsNamingTheField(String json, String message) throws IOException {
        Path file = write(json);
        assertThatThrownBy(() -> TokenizerConfig.read(file))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining(message);
    }

    @Test
    void read_missingFile_failsNamingIt() {
        Path file = TestTokenizers.scratch("config").resolve("absent.json");
        assertThatThrownBy(() -> TokenizerConfig.read(file))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("cannot read " + file);
    }

    @Test
    void djlsOwnLoader_llama31_rejectsWhatWeRead() {
        // Why we parse the file ourselves (this DJL class is plain Java: no native code, no network).
        Path file = TestTokenizers.config(TestTokenizers.LLAMA3);
        assertThatThrownBy(() -> ai.djl.huggingface.tokenizers.TokenizerConfig.load(file))
                .isInstanceOf(RuntimeException.class);
    }

    private static Path write(String json) throws IOException {
        return Files.writeString(
                Files.createTempFile(TestTokenizers.scratch("config"), "tokenizer_config", ".json"), json);
    }
}
