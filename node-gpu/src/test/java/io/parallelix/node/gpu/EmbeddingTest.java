package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.testing.TestModels;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The embedding path on the real MiniLM as sentence-transformers exports it. */
class EmbeddingTest {
    @TempDir
    static Path models;

    @BeforeAll
    static void writeModels() {
        MiniLm.writeEmbedding(models, "st", "model.onnx", MiniLm.LIMITS);
        MiniLm.writeEmbedding(
                models,
                "matryoshka",
                "onnx/model.onnx",
                MiniLm.LIMITS + "embedding:\n  truncatable_dimensions: true\n");
        TestModels.writeAdd(models);
    }

    private static EmbeddingRequest request(String model, List<EmbeddingInput> inputs, boolean truncate, int dims) {
        return new EmbeddingRequest(
                "t", model, inputs, truncate, dims, Instant.now().plusSeconds(60));
    }

    private static List<EmbeddingInput> texts(List<String> texts) {
        return texts.stream().<EmbeddingInput>map(EmbeddingInput.Text::new).toList();
    }

    @Test
    void open_sentenceTransformersDirectory_isAnEmbeddingModel() throws Exception {
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            ModelInfo info = engine.model("st").orElseThrow();
            assertThat(info.task()).isEqualTo(ModelTask.EMBEDDING);
            assertThat(info.embedding()).isEqualTo(new EmbeddingInfo(384, 256, 30522, "mean", true, false));
            assertThat(engine.model("add").orElseThrow().task()).isEqualTo(ModelTask.TENSOR);
            assertThat(engine.model("add").orElseThrow().embedding()).isNull();
        }
    }

    /**
     * The measurement behind batching in every mode: each text's vector alone equals, bit for bit,
     * its vector inside a padded batch of all the others, at 1 and 2 intra-op threads, deterministic
     * mode on and off (CPU provider).
     */
    @ParameterizedTest(name = "deterministic={0} intra_op_threads={1}")
    @CsvSource({"false,1", "true,1", "true,2"})
    void embed_batchedWithOthers_bitwiseEqualToAlone(boolean deterministic, int threads) throws Exception {
        EngineConfig config =
                new EngineConfig(models, ProviderMode.CPU, CudaOptions.defaults(), deterministic, threads, 0, 2);
        try (InferenceEngine engine = InferenceEngine.open(config)) {
            List<String> all = EmbeddingTexts.VARIED;
            List<float[]> batched =
                    engine.embed(request("st", texts(all), false, 0)).vectors();
            List<String> reversed = new ArrayList<>(all);
            java.util.Collections.reverse(reversed);
            List<float[]> backwards =
                    engine.embed(request("st", texts(reversed), false, 0)).vectors();
            for (int i = 0; i < all.size(); i++) {
                float[] alone = engine.embed(request("st", texts(List.of(all.get(i))), false, 0))
                        .vectors()
                        .get(0);
                assertThat(batched.get(i)).as("text %d in a batch", i).containsExactly(alone);
                assertThat(backwards.get(all.size() - 1 - i))
                        .as("text %d, other order", i)
                        .containsExactly(alone);
            }
        }
    }

    @Test
    void embed_vectors_areUnitLengthAndCountTokens() throws Exception {
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            EmbeddingResult r = engine.embed(request("st", texts(List.of("hello world", "a")), false, 0));
            assertThat(r.tokenCounts()).containsExactly(4, 3); // [CLS] hello world [SEP], [CLS] a [SEP]
            assertThat(r.promptTokens()).isEqualTo(7);
            for (float[] v : r.vectors()) {
                double norm = 0;
                for (float x : v) {
                    norm += x * x;
                }
                assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
            }
            assertThat(r.modelSha256())
                    .isEqualTo(engine.model("st").orElseThrow().sha256());
            assertThat(r.inputsSha256()).hasSize(64);
        }
    }

    @Test
    void embed_textOverTheLimit_isRefusedNamingTheInputAndCount() throws Exception {
        String longText = "word ".repeat(300);
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            assertThatThrownBy(() -> engine.embed(request("st", texts(List.of("ok", longText)), false, 0)))
                    .isInstanceOfSatisfying(
                            InferenceException.InvalidInput.class,
                            e -> assertThat(e.field()).isEqualTo("input[1]"))
                    .hasMessageContaining("input[1] has 302 tokens")
                    .hasMessageContaining("at most 256");
        }
    }

    @Test
    void embed_truncate_keepsSpecialTokensAndEqualsTheCutIds() throws Exception {
        String longText = "word ".repeat(300);
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            EmbeddingResult cut = engine.embed(request("st", texts(List.of(longText)), true, 0));
            assertThat(cut.tokenCounts()).containsExactly(256);
            int[] ids = new int[256];
            Arrays.fill(ids, 2773); // "word"
            ids[0] = 101;
            ids[255] = 102;
            EmbeddingResult same = engine.embed(request("st", List.of(new EmbeddingInput.Tokens(ids)), false, 0));
            assertThat(cut.vectors().get(0)).containsExactly(same.vectors().get(0));
        }
    }

    @Test
    void embed_tokenIds_outsideTheVocabulary_areRefusedNamingThePosition() throws Exception {
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            for (int bad : new int[] {-1, 30522, Integer.MAX_VALUE}) {
                List<EmbeddingInput> in = List.of(
                        new EmbeddingInput.Tokens(new int[] {101, 7592, 102}),
                        new EmbeddingInput.Tokens(new int[] {101, bad, 102}));
                assertThatThrownBy(() -> engine.embed(request("st", in, false, 0)))
                        .isInstanceOfSatisfying(
                                InferenceException.InvalidInput.class,
                                e -> assertThat(e.field()).isEqualTo("input[1]"))
                        .hasMessageContaining("input[1][1] is token id " + bad)
                        .hasMessageContaining("0 to 30521");
            }
            assertThatThrownBy(
                            () -> engine.embed(request("st", List.of(new EmbeddingInput.Tokens(new int[0])), false, 0)))
                    .isInstanceOf(InferenceException.InvalidInput.class)
                    .hasMessageContaining("input[0] has no tokens");
        }
    }

    @Test
    void embed_dimensions_onlyWhereTheModelAllowsThem() throws Exception {
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            assertThatThrownBy(() -> engine.embed(request("st", texts(List.of("hi")), false, 128)))
                    .isInstanceOfSatisfying(
                            InferenceException.InvalidInput.class,
                            e -> assertThat(e.field()).isEqualTo("dimensions"));
            assertThat(engine.embed(request("st", texts(List.of("hi")), false, 384))
                            .vectors()
                            .get(0))
                    .hasSize(384);
            float[] full = engine.embed(request("matryoshka", texts(List.of("hi")), false, 0))
                    .vectors()
                    .get(0);
            float[] small = engine.embed(request("matryoshka", texts(List.of("hi")), false, 128))
                    .vectors()
                    .get(0);
            assertThat(small).hasSize(128);
            double norm = 0;
            for (int i = 0; i < 128; i++) {
                norm += (double) full[i] * full[i];
            }
            for (int i = 0; i < 128; i++) {
                assertThat((double) small[i])
                        .isCloseTo(full[i] / Math.sqrt(norm), org.assertj.core.data.Offset.offset(1e-7));
            }
            for (int bad : new int[] {-1, 385}) {
                assertThatThrownBy(() -> engine.embed(request("matryoshka", texts(List.of("hi")), false, bad)))
                        .isInstanceOf(InferenceException.InvalidInput.class)
                        .hasMessageContaining("between 1 and 384");
            }
        }
    }

    @Test
    void embed_tensorModel_isRefusedNamingTheModel() throws Exception {
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            assertThatThrownBy(() -> engine.embed(request("add", texts(List.of("hi")), false, 0)))
                    .isInstanceOfSatisfying(
                            InferenceException.InvalidInput.class,
                            e -> assertThat(e.field()).isEqualTo("model"))
                    .hasMessageContaining("'add' serves tensors only");
            assertThatThrownBy(() -> engine.embed(request("nope", texts(List.of("hi")), false, 0)))
                    .isInstanceOf(InferenceException.UnknownModel.class);
        }
    }
}
