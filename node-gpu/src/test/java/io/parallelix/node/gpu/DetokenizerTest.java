package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.text.TestTokenizers;
import io.parallelix.node.gpu.text.Tokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Incremental detokenizing on real tokenizers (byte-level BPE: Llama 3.1, Qwen3; SentencePiece-style
 * BPE with byte fallback: Llama 2, Gemma 3; WordPiece: MiniLM): the pieces of generated ids, one token at
 * a time, concatenate to what decoding prompt + output at once adds to decoding the prompt alone, and
 * no piece ends in half a character (U+FFFD) unless the ids themselves are invalid UTF-8.
 */
class DetokenizerTest {
    private static final List<String> TEXTS = List.of(
            "Hello world, the day is bright.",
            " leading space and  double  spaces",
            "Grüße aus Köln — naïve café, Ελληνικά, Кириллица",
            "中文文本和日本語のテキスト、한국어",
            "emoji 👩‍👩‍👧 flags 🇯🇵 and 🧑🏽‍💻 done",
            "code:\n\tif (x) {\n\t\treturn y;\n\t}\n",
            "numbers 1234567 3.14159 and trailing   ");

    @ParameterizedTest
    @ValueSource(strings = {TestTokenizers.LLAMA3, TestTokenizers.QWEN3, TestTokenizers.LLAMA2, TestTokenizers.GEMMA3})
    void pieces_concatenateToTheWholeDecode(String name) {
        try (Tokenizer tokenizer = TestTokenizers.open(name)) {
            for (String text : TEXTS) {
                int[] all = tokenizer.encode("User: " + text, false);
                for (int cut : new int[] {1, 2, all.length / 2}) {
                    int[] prompt = Arrays.copyOf(all, cut);
                    int[] output = Arrays.copyOfRange(all, cut, all.length);
                    Detokenizer d = new Detokenizer(tokenizer, prompt);
                    StringBuilder pieces = new StringBuilder();
                    for (int id : output) {
                        String piece = d.next(id);
                        assertThat(piece).doesNotEndWith("\uFFFD");
                        pieces.append(piece);
                    }
                    pieces.append(d.finish());
                    String whole = tokenizer.decode(all, true);
                    String head = clean(tokenizer.decode(prompt, true));
                    assertThat(whole).startsWith(head);
                    assertThat(pieces.toString())
                            .as("%s: %s cut at %d", name, text, cut)
                            .isEqualTo(whole.substring(head.length()));
                }
            }
        }
    }

    /** The prompt's text without a trailing half character, which the output's first ids complete. */
    private static String clean(String head) {
        int end = head.length();
        while (end > 0 && head.charAt(end - 1) == '\uFFFD') {
            end--;
        }
        return head.substring(0, end);
    }

    /** Random ids (not valid text at all) still give the whole decode's text at the end, U+FFFD included. */
    @ParameterizedTest
    @ValueSource(strings = {TestTokenizers.LLAMA3, TestTokenizers.LLAMA2})
    void randomIds_stillConcatenateToTheWholeDecode(String name) {
        try (Tokenizer tokenizer = TestTokenizers.open(name)) {
            Random random = new Random(7);
            for (int round = 0; round < 20; round++) {
                int[] prompt = {random.nextInt(1000) + 300};
                int[] output = random.ints(30, 0, tokenizer.vocabSize()).toArray();
                Detokenizer d = new Detokenizer(tokenizer, prompt);
                StringBuilder pieces = new StringBuilder();
                for (int id : output) {
                    pieces.append(d.next(id));
                }
                pieces.append(d.finish());
                int[] all = new int[1 + output.length];
                all[0] = prompt[0];
                System.arraycopy(output, 0, all, 1, output.length);
                String whole = tokenizer.decode(all, true);
                String head = tokenizer.decode(prompt, true);
                if (whole.startsWith(head)) {
                    assertThat(pieces.toString()).isEqualTo(whole.substring(head.length()));
                }
            }
        }
    }
}
