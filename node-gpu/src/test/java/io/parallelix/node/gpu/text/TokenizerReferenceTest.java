package io.parallelix.node.gpu.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Ids and decoded text equal, for every text, to the npm {@code tokenizers} package (Hugging
 * Face's own binding of the Rust library) on the same tokenizer.json: WordPiece (MiniLM), byte-level
 * BPE (Llama 3.1, Qwen3), SentencePiece-style BPE with byte fallback (Llama 2, Gemma 3), Unigram.
 */
class TokenizerReferenceTest {
    private static final List<String> TOKENS = List.of(
            "<|eot_id|>",
            "<|begin_of_text|>",
            "<|im_end|>",
            "<|endoftext|>",
            "[CLS]",
            "[SEP]",
            "[PAD]",
            "[UNK]",
            "<s>",
            "</s>",
            "<unk>",
            "<bos>",
            "<eos>",
            "<pad>",
            "<end_of_turn>",
            "▁hello",
            "hello",
            "Ġthe",
            "the",
            "##ing",
            "no-such-token-here");

    static List<String> allTokenizers() {
        return List.of(
                TestTokenizers.MINILM,
                TestTokenizers.LLAMA3,
                TestTokenizers.QWEN3,
                TestTokenizers.GEMMA3,
                TestTokenizers.LLAMA2,
                TestTokenizers.UNIGRAM);
    }

    @ParameterizedTest
    @MethodSource("allTokenizers")
    void encodeDecode_variedTexts_equalNpmTokenizers(String name) {
        List<String> texts = TestTexts.varied();
        NpmTokenizers.Answer reference = NpmTokenizers.run(TestTokenizers.file(name), texts, TOKENS);
        assertThat(reference.results()).hasSameSizeAs(texts);
        try (Tokenizer tokenizer = TestTokenizers.open(name)) {
            for (int i = 0; i < texts.size(); i++) {
                String text = texts.get(i);
                NpmTokenizers.Result want = reference.results().get(i);
                String where = name + ", text " + i + " " + abbreviate(text);
                int[] ids = tokenizer.encode(text, true);
                assertThat(ids).as(where + ": ids").isEqualTo(want.ids());
                assertThat(tokenizer.encode(text, false))
                        .as(where + ": ids without special tokens")
                        .isEqualTo(want.idsPlain());
                assertThat(tokenizer.decode(ids, false)).as(where + ": decode").isEqualTo(want.decoded());
                assertThat(tokenizer.decode(ids, true))
                        .as(where + ": decode skipping specials")
                        .isEqualTo(want.decodedSkip());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {TestTokenizers.MINILM, TestTokenizers.LLAMA3, TestTokenizers.GEMMA3, TestTokenizers.LLAMA2})
    void encode_textOfThousandsOfTokens_givesAllIdsAsNpmDoes(String name) {
        String text = TestTexts.longText(2_600);
        NpmTokenizers.Answer reference = NpmTokenizers.run(TestTokenizers.file(name), List.of(text), List.of());
        try (Tokenizer tokenizer = TestTokenizers.open(name)) {
            int[] ids = tokenizer.encode(text, true);
            // DJL truncates to 512 by default and MiniLM's file to 128: neither may apply.
            assertThat(ids.length).isGreaterThan(2_000);
            assertThat(ids).isEqualTo(reference.results().get(0).ids());
        }
    }

    @ParameterizedTest
    @MethodSource("allTokenizers")
    void vocabSizeAndTokenId_equalNpmTokenizers(String name) {
        NpmTokenizers.Answer reference = NpmTokenizers.run(TestTokenizers.file(name), List.of(), TOKENS);
        try (Tokenizer tokenizer = TestTokenizers.open(name)) {
            assertThat(tokenizer.vocabSize()).as(name + ": vocab size").isEqualTo(reference.vocabSize());
            for (String token : TOKENS) {
                Integer want = reference.tokenIds().get(token);
                OptionalInt expected = want == null ? OptionalInt.empty() : OptionalInt.of(want);
                assertThat(tokenizer.tokenId(token))
                        .as(name + ": id of " + token)
                        .isEqualTo(expected);
            }
        }
    }

    private static String abbreviate(String text) {
        String shown = text.length() > 60 ? text.substring(0, 60) + "…(" + text.length() + " chars)" : text;
        return "'" + shown.replace("\n", "\\n").replace("\t", "\\t") + "'";
    }
}
