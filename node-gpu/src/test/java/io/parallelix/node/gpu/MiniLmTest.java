package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.InputStream;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real model against values computed outside our Java code: src/test/resources/minilm-reference.json
 * was written by scripts/minilm_reference.mjs with onnxruntime-node (a separate ONNX Runtime build).
 */
class MiniLmTest {
    private static final double VALUE_TOLERANCE = 1e-4;
    private static final double SUM_TOLERANCE = 1e-3;

    @TempDir
    static Path models;

    static InferenceEngine engine;
    static JsonNode reference;

    @BeforeAll
    static void open() throws Exception {
        MiniLm.write(models);
        engine = InferenceEngine.open(TestModels.cpuConfig(models));
        try (InputStream in = MiniLmTest.class.getResourceAsStream("/minilm-reference.json")) {
            reference = new ObjectMapper().readTree(in);
        }
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void model_isTheOneTheReferenceWasComputedFrom() {
        ModelInfo info = engine.model(MiniLm.NAME).orElseThrow();

        assertThat(info.sha256()).isEqualTo(reference.path("model_sha256").asText());
        assertThat(info.inputs())
                .extracting(TensorSpec::name)
                .containsExactly("input_ids", "attention_mask", "token_type_ids");
        assertThat(info.outputs())
                .containsExactly(new TensorSpec("last_hidden_state", DataType.FP32, java.util.List.of(-1L, -1L, 384L)));
    }

    @Test
    void infer_referenceCases_matchOnnxRuntimeNode() throws Exception {
        for (JsonNode c : reference.path("cases")) {
            InferenceRequest request = MiniLm.request(
                    rows(c.path("input_ids")), rows(c.path("attention_mask")), rows(c.path("token_type_ids")));

            Safetensors.File file = Safetensors.decode(engine.infer(request).safetensors());

            Safetensors.Tensor out = file.tensors().get(0);
            String name = c.path("name").asText();
            assertThat(out.name()).isEqualTo("last_hidden_state");
            assertThat(out.shape().toString())
                    .as(name)
                    .isEqualTo(c.path("shape").toString().replace(",", ", "));
            float[] values = InferenceEngineTest.floats(out.data());
            long seq = out.shape().get(1);
            for (JsonNode probe : c.path("probes")) {
                JsonNode at = probe.path("at");
                int index = (int) ((at.get(0).asLong() * seq + at.get(1).asLong()) * 384
                        + at.get(2).asLong());
                assertThat((double) values[index])
                        .as("%s %s", name, at)
                        .isCloseTo(probe.path("value").asDouble(), within(VALUE_TOLERANCE));
            }
            double sum = 0;
            double sumAbs = 0;
            for (float v : values) {
                sum += v;
                sumAbs += Math.abs(v);
            }
            assertThat(sum).as("%s sum", name).isCloseTo(c.path("sum").asDouble(), within(SUM_TOLERANCE));
            assertThat(sumAbs)
                    .as("%s sum of |x|", name)
                    .isCloseTo(c.path("sum_abs").asDouble(), within(SUM_TOLERANCE));
            System.out.printf(
                    "minilm %s: sum %.9f vs %.9f, |sum| %.9f vs %.9f%n",
                    name,
                    sum,
                    c.path("sum").asDouble(),
                    sumAbs,
                    c.path("sum_abs").asDouble());
        }
    }

    private static long[][] rows(JsonNode matrix) {
        long[][] out = new long[matrix.size()][];
        for (int i = 0; i < out.length; i++) {
            JsonNode row = matrix.get(i);
            out[i] = new long[row.size()];
            for (int j = 0; j < out[i].length; j++) {
                out[i][j] = row.get(j).asLong();
            }
        }
        return out;
    }
}
