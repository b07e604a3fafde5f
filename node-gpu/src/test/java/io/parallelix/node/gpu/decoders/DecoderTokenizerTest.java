package io.parallelix.node.gpu.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.DecoderSpec.Architecture;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.testing.NpmRefs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The generated tokenizer.json as Hugging Face's Rust tokenizers (npm, scripts/refs/
 * tokenize_reference.mjs) reads it: vocabulary exactly the model's, any text (accents, emoji,
 * newlines) decodes back to itself, merges apply, special tokens keep their ids, and the Llama
 * style prepends {@code <|begin_of_text|>} when special tokens are added.
 */
class DecoderTokenizerTest {
    private static final List<String> TEXTS =
            List.of("Hello world, the day is you.", "héllo 🙂 ünïcode\nnew line\ttab", "  leading spaces", "");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path models;

    static Stream<DecoderSpec> specs() {
        return Stream.of(
                TestDecoders.gpt2("gpt2"),
                TestDecoders.llama("llama"),
                TestDecoders.llama("llama-big-vocab").withVocabSize(5000).withReferenceWeights(false));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void rustTokenizers_generatedTokenizer_roundTripsAndFitsTheVocabulary(DecoderSpec spec) throws Exception {
        Path dir = TestDecoders.write(models, spec);
        List<String> texts = new ArrayList<>(TEXTS);
        String special = spec.specialTokens().get(spec.specialTokens().size() - 1);
        texts.add("before " + special + " after");
        Path textsFile = models.resolve("texts.json");
        JSON.writeValue(textsFile.toFile(), texts);

        Path tokensFile = models.resolve("tokens.json");
        JSON.writeValue(tokensFile.toFile(), List.of("Hello", "Ġworld", special));
        JsonNode out = JSON.readTree(NpmRefs.node(
                        "tokenize_reference.mjs",
                        dir.resolve("tokenizer.json").toString(),
                        textsFile.toString(),
                        tokensFile.toString())
                .run()
                .requireSuccess()
                .stdout());

        assertThat(out.path("vocab_size").asInt()).isEqualTo(spec.vocabSize());
        JsonNode results = out.path("results");
        boolean llama = spec.architecture() == Architecture.LLAMA;
        for (int i = 0; i < texts.size(); i++) {
            JsonNode r = results.get(i);
            String text = texts.get(i);
            String prefix = llama ? "<|begin_of_text|>" : "";
            assertThat(r.path("decoded").asText())
                    .as("decode(encode(%s))", text)
                    .isEqualTo(prefix + text);
            List<Integer> ids = ints(r.path("ids_plain"));
            List<Integer> withSpecial = ints(r.path("ids"));
            assertThat(ids).allSatisfy(id -> assertThat(id).isBetween(0, spec.vocabSize() - 1));
            if (llama) {
                assertThat(withSpecial.get(0)).isEqualTo(spec.bosTokenId());
                assertThat(withSpecial.subList(1, withSpecial.size())).isEqualTo(ids);
            } else {
                assertThat(withSpecial).isEqualTo(ids);
            }
        }
        JsonNode tokenIds = out.path("token_ids");
        assertThat(ints(results.get(0).path("ids_plain")).subList(0, 2))
                .containsExactly(
                        tokenIds.path("Hello").asInt(), tokenIds.path("Ġworld").asInt());
        assertThat(tokenIds.path(special).asInt()).isEqualTo(spec.specialTokenId(special));
        assertThat(ints(results.get(texts.size() - 1).path("ids_plain"))).contains(spec.specialTokenId(special));
        assertThat(results.get(texts.size() - 1).path("decoded_skip").asText()).isEqualTo("before  after");
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asInt()));
        return values;
    }
}
