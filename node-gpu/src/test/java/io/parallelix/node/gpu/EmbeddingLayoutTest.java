package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.testing.TestModels;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the directory and config.yaml say about an embedding model, and what the node refuses. */
class EmbeddingLayoutTest {
    @TempDir
    Path models;

    private InferenceEngine open() throws EngineException {
        return InferenceEngine.open(TestModels.cpuConfig(models));
    }

    @Test
    void open_poolingModesFromConfig_poolTheTokenVectorsAsOipShowsThem() throws Exception {
        MiniLm.writeEmbedding(
                models, "cls", "model.onnx", MiniLm.LIMITS + "embedding:\n  pooling: cls\n  normalize: false\n");
        MiniLm.writeEmbedding(
                models, "max", "model.onnx", MiniLm.LIMITS + "embedding:\n  pooling: max\n  normalize: false\n");
        MiniLm.writeEmbedding(
                models,
                "last",
                "model.onnx",
                MiniLm.LIMITS + "embedding:\n  pooling: last_token\n  normalize: false\n");
        try (InferenceEngine engine = open()) {
            // [CLS] hello world [SEP]: the token vectors through the OIP path, pooled here by hand.
            InferenceRequest tokens = MiniLm.request(
                    new long[][] {{101, 7592, 2088, 102}}, new long[][] {{1, 1, 1, 1}}, new long[][] {{0, 0, 0, 0}});
            InferenceResult oip =
                    engine.infer(new InferenceRequest("t", "cls", tokens.inputs(), List.of(), tokens.deadline()));
            FloatBuffer h = Safetensors.decode(oip.safetensors())
                    .tensors()
                    .get(0)
                    .data()
                    .order(ByteOrder.LITTLE_ENDIAN)
                    .asFloatBuffer();
            float[] cls = new float[384];
            float[] max = new float[384];
            float[] last = new float[384];
            for (int d = 0; d < 384; d++) {
                cls[d] = h.get(d);
                last[d] = h.get(3 * 384 + d);
                max[d] = Math.max(Math.max(h.get(d), h.get(384 + d)), Math.max(h.get(768 + d), h.get(1152 + d)));
            }
            assertThat(embed(engine, "cls")).containsExactly(cls);
            assertThat(embed(engine, "max")).containsExactly(max);
            assertThat(embed(engine, "last")).containsExactly(last);
            assertThat(engine.model("cls").orElseThrow().embedding().pooling()).isEqualTo("cls");
        }
    }

    private static float[] embed(InferenceEngine engine, String model) throws InferenceException {
        return engine.embed(new EmbeddingRequest(
                        "t",
                        model,
                        List.of(new EmbeddingInput.Text("hello world")),
                        false,
                        0,
                        Instant.now().plusSeconds(30)))
                .vectors()
                .get(0);
    }

    @Test
    void open_taskTensorInConfig_servesASentenceTransformersDirectoryAsTensors() throws Exception {
        MiniLm.writeEmbedding(models, "st", "model.onnx", MiniLm.LIMITS + "task: tensor\n");
        try (InferenceEngine engine = open()) {
            assertThat(engine.model("st").orElseThrow().task()).isEqualTo(ModelTask.TENSOR);
        }
    }

    @Test
    void open_unreproducibleSentenceTransformersModules_isRefusedNamingThem() throws Exception {
        Path dir = MiniLm.writeEmbedding(models, "st", "model.onnx", MiniLm.LIMITS);
        Files.writeString(dir.resolve("modules.json"), MiniLm.ST_MODULES.replace("Normalize\"", "Dense\""));
        assertThatThrownBy(this::open).hasMessageContaining("Dense module");
        Files.writeString(dir.resolve("modules.json"), MiniLm.ST_MODULES);
        Files.writeString(
                dir.resolve("1_Pooling/config.json"),
                MiniLm.ST_POOLING.replace("\"pooling_mode_cls_token\": false", "\"pooling_mode_cls_token\": true"));
        assertThatThrownBy(this::open).hasMessageContaining("turns on 2 pooling modes");
        Files.writeString(
                dir.resolve("1_Pooling/config.json"),
                MiniLm.ST_POOLING.replace(
                        "\"pooling_mode_mean_sqrt_len_tokens\": false", "\"pooling_mode_mean_sqrt_len_tokens\": true"));
        assertThatThrownBy(this::open).hasMessageContaining("pooling_mode_mean_sqrt_len_tokens");
        Files.writeString(dir.resolve("1_Pooling/config.json"), MiniLm.ST_POOLING);
        Files.writeString(
                dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256, \"do_lower_case\": true}");
        assertThatThrownBy(this::open).hasMessageContaining("do_lower_case");
    }

    @Test
    void open_embeddingTaskWithoutTokenizerOrPooling_isRefusedWithAFix() throws Exception {
        Path dir = MiniLm.writeEmbedding(models, "st", "model.onnx", MiniLm.LIMITS + "task: embedding\n");
        Files.delete(dir.resolve("tokenizer.json"));
        assertThatThrownBy(this::open)
                .hasMessageContaining("without tokenizer.json")
                .hasMessageContaining("Fix:");
        MiniLm.copyTokenizer(dir);
        Files.delete(dir.resolve("modules.json"));
        assertThatThrownBy(this::open)
                .hasMessageContaining("without a pooling")
                .hasMessageContaining("embedding.pooling");
    }

    @Test
    void open_tensorGraphAsEmbedding_isRefusedNamingTheInput() throws Exception {
        Path dir = TestModels.writeAdd(models);
        MiniLm.copyTokenizer(dir);
        Files.writeString(dir.resolve("config.yaml"), "task: embedding\nembedding:\n  pooling: mean\n");
        assertThatThrownBy(this::open).hasMessageContaining("takes input 'a'");
    }

    @Test
    void read_badEmbeddingBlock_namesTheKey() throws Exception {
        Path dir = MiniLm.writeEmbedding(models, "st", "model.onnx", MiniLm.LIMITS + "embedding:\n  pooling: median\n");
        assertThatThrownBy(this::open).hasMessageContaining("embedding.pooling must be mean, cls, max or last_token");
        Files.writeString(dir.resolve("config.yaml"), "embedding:\n  poolin: mean\n");
        assertThatThrownBy(this::open).hasMessageContaining("poolin");
        Files.writeString(dir.resolve("config.yaml"), "task: chat\n");
        assertThatThrownBy(this::open).hasMessageContaining("task must be tensor, embedding or generation");
        Files.writeString(dir.resolve("config.yaml"), "task: generation\n"); // an encoder is no decoder
        assertThatThrownBy(this::open)
                .hasMessageContaining("is not a decoder the node can run with a cache")
                .hasMessageContaining("no input 'token_type_ids'");
    }
}
