package io.parallelix.node.gpu.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenizerTest {
    @Test
    void encode_miniLmWhoseFilePadsAndTruncatesTo128_givesExactlyTheTextsIds() throws IOException {
        JsonNode file = new ObjectMapper()
                .readTree(TestTokenizers.file(TestTokenizers.MINILM).toFile());
        assertThat(file.path("truncation").path("max_length").intValue())
                .as("the trap is in the file")
                .isEqualTo(128);
        assertThat(file.path("padding").path("strategy").path("Fixed").intValue())
                .isEqualTo(128);
        try (Tokenizer tokenizer = TestTokenizers.open(TestTokenizers.MINILM)) {
            assertThat(tokenizer.encode("hello world", true)).containsExactly(101, 7592, 2088, 102);
            int[] ids = tokenizer.encode("hello ".repeat(2_000), true);
            assertThat(ids).hasSize(2_002);
            assertThat(ids[0]).isEqualTo(101);
            assertThat(ids[2_001]).isEqualTo(102);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\uD83Db", "\uDE00", "x\uDE00\uD83D", "ok\uD83D"})
    void encode_unpairedSurrogate_throwsNamingIt(String text) {
        try (Tokenizer tokenizer = TestTokenizers.open(TestTokenizers.LLAMA3)) {
            assertThatThrownBy(() -> tokenizer.encode(text, true))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unpaired surrogate U+D")
                    .hasMessageContaining("at UTF-16 index");
        }
    }

    @Test
    void encode_surrogatePair_isOneCharacter() {
        try (Tokenizer tokenizer = TestTokenizers.open(TestTokenizers.LLAMA3)) {
            int[] ids = tokenizer.encode("😀", false);
            assertThat(tokenizer.decode(ids, false)).isEqualTo("😀");
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 30_522, 1 << 20, Integer.MAX_VALUE, Integer.MIN_VALUE})
    void decode_idOutsideVocabulary_throwsNamingIdAndIndex(int bad) {
        try (Tokenizer tokenizer = TestTokenizers.open(TestTokenizers.MINILM)) {
            assertThatThrownBy(() -> tokenizer.decode(new int[] {101, 7592, bad}, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("token id " + bad + " at index 2 is not in the vocabulary")
                    .hasMessageContaining("30522 ids");
        }
    }

    @Test
    void decode_emptyIds_isEmptyText() {
        try (Tokenizer tokenizer = TestTokenizers.open(TestTokenizers.LLAMA2)) {
            assertThat(tokenizer.decode(new int[0], false)).isEmpty();
        }
    }

    @Test
    void vocabSizeAndTokenId_llama3_countAddedTokens() {
        try (Tokenizer tokenizer = TestTokenizers.open(TestTokenizers.LLAMA3)) {
            assertThat(tokenizer.vocabSize()).isEqualTo(128_256);
            assertThat(tokenizer.tokenId("<|eot_id|>")).isEqualTo(OptionalInt.of(128_009));
            assertThat(tokenizer.tokenId("<|begin_of_text|>")).isEqualTo(OptionalInt.of(128_000));
            assertThat(tokenizer.tokenId("no such token")).isEmpty();
            assertThat(tokenizer.encode("<|eot_id|>", false)).containsExactly(128_009);
        }
    }

    @Test
    void close_thenUse_throwsIllegalStateAndCloseAgainIsHarmless() {
        Tokenizer tokenizer = TestTokenizers.open(TestTokenizers.MINILM);
        tokenizer.close();
        tokenizer.close();
        assertThatThrownBy(() -> tokenizer.encode("x", true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("is closed");
        assertThatThrownBy(() -> tokenizer.decode(new int[] {101}, true)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void open_missingFile_failsWithFix() {
        Path missing = TestTokenizers.scratch("bad").resolve("nope.json");
        assertThatThrownBy(() -> Tokenizer.open(TestTokenizers.library(), missing))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("cannot read " + missing)
                .hasMessageContaining("Fix:");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "not json",
                "[1, 2]",
                "{\"model\": {\"type\": \"BPE\"}}",
                "{\"added_tokens\": [{\"id\": -3, \"content\": \"x\"}], \"model\": {\"vocab\": {}}}",
                "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": \"zero\"}}}",
                "{\"model\": {\"type\": \"WordLevel\", \"vocab\": {\"a\": 4294967296}}}",
                "{\"version\": \"1.0\", \"model\": {\"type\": \"Martian\", \"vocab\": {\"a\": 0}}}"
            })
    void open_notATokenizer_failsNamingTheProblem(String json) throws IOException {
        Path file = Files.writeString(Files.createTempFile(TestTokenizers.scratch("bad"), "tok", ".json"), json);
        assertThatThrownBy(() -> Tokenizer.open(TestTokenizers.library(), file))
                .isInstanceOf(TokenizerException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("Fix:");
    }

    @Test
    void open_invalidUtf8_failsNamingIt() throws IOException {
        byte[] bytes =
                "{\"model\": {\"vocab\": {\"\u00ff\": 0}}}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Path file = Files.write(Files.createTempFile(TestTokenizers.scratch("bad"), "latin1", ".json"), bytes);
        assertThatThrownBy(() -> Tokenizer.open(TestTokenizers.library(), file))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("is not UTF-8");
    }
}
