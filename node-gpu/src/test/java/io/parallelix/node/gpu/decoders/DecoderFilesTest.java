package io.parallelix.node.gpu.decoders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.decoders.CachedDecoder.Cache;
import io.parallelix.node.gpu.decoders.CachedDecoder.Generation;
import io.parallelix.node.gpu.decoders.CachedDecoder.Padding;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.TestDecoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model directory around the graph: HF config keys, determinism, external data, bad specs. */
class DecoderFilesTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path models;

    @Test
    void write_gpt2_configHasGpt2ConfigKeys() throws Exception {
        DecoderSpec spec = TestDecoders.gpt2("gpt2");
        Path dir = TestDecoders.write(models, spec);

        JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
        assertThat(config.path("model_type").asText()).isEqualTo("gpt2");
        assertThat(config.path("n_embd").asInt()).isEqualTo(64);
        assertThat(config.path("n_layer").asInt()).isEqualTo(2);
        assertThat(config.path("n_head").asInt()).isEqualTo(4);
        assertThat(config.path("n_positions").asInt()).isEqualTo(128);
        assertThat(config.path("vocab_size").asInt()).isEqualTo(384);
        assertThat(config.path("eos_token_id").asInt()).isEqualTo(383);
        assertThat(JSON.readTree(dir.resolve("generation_config.json").toFile())
                        .path("eos_token_id")
                        .asInt())
                .isEqualTo(383);
        JsonNode tokenizerConfig =
                JSON.readTree(dir.resolve("tokenizer_config.json").toFile());
        assertThat(tokenizerConfig.path("eos_token").asText()).isEqualTo("<|endoftext|>");
        assertThat(tokenizerConfig.path("chat_template").asText()).contains("add_generation_prompt");
        assertThat(JSON.readTree(dir.resolve("special_tokens_map.json").toFile())
                        .path("bos_token")
                        .asText())
                .isEqualTo("<|endoftext|>");
        assertThat(dir.resolve(TestDecoders.REFERENCE_WEIGHTS)).isRegularFile();
    }

    @Test
    void write_llama_configHasLlamaConfigKeysAndEosList() throws Exception {
        DecoderSpec spec = TestDecoders.llama("llama");
        Path dir = TestDecoders.write(models, spec);

        JsonNode config = JSON.readTree(dir.resolve("config.json").toFile());
        assertThat(config.path("model_type").asText()).isEqualTo("llama");
        assertThat(config.path("hidden_size").asInt()).isEqualTo(64);
        assertThat(config.path("num_hidden_layers").asInt()).isEqualTo(2);
        assertThat(config.path("num_attention_heads").asInt()).isEqualTo(4);
        assertThat(config.path("num_key_value_heads").asInt()).isEqualTo(2);
        assertThat(config.path("max_position_embeddings").asInt()).isEqualTo(256);
        assertThat(config.path("rope_theta").asDouble()).isEqualTo(10_000.0);
        assertThat(config.path("rms_norm_eps").asDouble()).isEqualTo(1e-5);
        assertThat(config.path("bos_token_id").asInt()).isEqualTo(379).isEqualTo(spec.bosTokenId());
        assertThat(config.path("eos_token_id").asInt()).isEqualTo(383);
        JsonNode eos =
                JSON.readTree(dir.resolve("generation_config.json").toFile()).path("eos_token_id");
        assertThat(eos.toString()).isEqualTo("[380,383]");
        assertThat(spec.eosTokenIds()).containsExactly(380, 383);
        JsonNode tokenizerConfig =
                JSON.readTree(dir.resolve("tokenizer_config.json").toFile());
        assertThat(tokenizerConfig.path("chat_template").asText()).startsWith("{{ bos_token }}");
        assertThat(tokenizerConfig
                        .path("added_tokens_decoder")
                        .path("383")
                        .path("content")
                        .asText())
                .isEqualTo("<|eot_id|>");
    }

    @Test
    void write_sameSpecTwice_sameBytes_otherSeed_otherWeights() throws Exception {
        Path a = TestDecoders.write(models.resolve("a"), TestDecoders.llama("m"));
        Path b = TestDecoders.write(models.resolve("b"), TestDecoders.llama("m"));
        Path c = TestDecoders.write(models.resolve("c"), TestDecoders.llama("m").withSeed(99));

        for (String file : List.of("model.onnx", "tokenizer.json", "config.json", TestDecoders.REFERENCE_WEIGHTS)) {
            assertThat(Files.readAllBytes(a.resolve(file))).as(file).isEqualTo(Files.readAllBytes(b.resolve(file)));
        }
        assertThat(Files.readAllBytes(a.resolve("model.onnx")))
                .isNotEqualTo(Files.readAllBytes(c.resolve("model.onnx")));
    }

    @Test
    void write_externalData_sameTokensAndLogitsAsInline() throws Exception {
        DecoderSpec inline = TestDecoders.llama("inline");
        DecoderSpec external =
                inline.withName("external").withExternalData(true).withModelPath("onnx/model.onnx");
        Path inlineDir = TestDecoders.write(models, inline);
        Path externalDir = TestDecoders.write(models, external);

        assertThat(Files.size(externalDir.resolve("onnx/" + TestDecoders.EXTERNAL_DATA)))
                .isEqualTo(4 * external.parameterCount());
        assertThat(Files.size(externalDir.resolve("onnx/model.onnx"))).isLessThan(64 * 1024);
        int[] prompt = {5, 6, 7};
        Generation a = generate(inline, inlineDir.resolve("model.onnx"), prompt);
        Generation b = generate(external, externalDir.resolve("onnx/model.onnx"), prompt);
        assertThat(b.tokens().get(0)).isEqualTo(a.tokens().get(0));
        for (int step = 0; step < 8; step++) {
            assertThat(b.logits().get(0).get(step)).isEqualTo(a.logits().get(0).get(step));
        }
    }

    @Test
    void llamaBench_spec_isTheBenchmarksSize() {
        DecoderSpec bench = TestDecoders.llamaBench("bench");

        assertThat(bench.parameterCount()).isEqualTo(56_369_664L);
        assertThat(bench.vocabSize()).isEqualTo(32_000);
        assertThat(bench.hiddenSize()).isEqualTo(512);
        assertThat(bench.layers()).isEqualTo(8);
        assertThat(bench.externalData()).isTrue();
        assertThat(bench.referenceWeights()).isFalse();
    }

    @Test
    void spec_inconsistentSizes_refusedNamingTheProblem() {
        assertThatThrownBy(() -> TestDecoders.llama("x").withSize(64, 2, 4, 3, 128))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("heads 4 is not a multiple of kvHeads 3");
        assertThatThrownBy(() -> TestDecoders.gpt2("x").withSize(64, 2, 4, 2, 128))
                .hasMessageContaining("GPT-2 attention has kvHeads == heads");
        assertThatThrownBy(() -> TestDecoders.llama("x").withVocabSize(100)).hasMessageContaining("vocabSize 100");
        assertThatThrownBy(() -> TestDecoders.llama("../x")).hasMessageContaining("not a model name");
    }

    private static Generation generate(DecoderSpec spec, Path model, int[] prompt) throws Exception {
        try (OrtSession session = CachedDecoder.open(ENV, model)) {
            return new CachedDecoder(ENV, session, spec).generate(List.of(prompt), 8, Padding.LEFT, Cache.DIRECT);
        }
    }
}
