package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.testing.NpmRefs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's sentence embeddings against an independent implementation on the same files:
 * {@code @huggingface/transformers} (its own tokenizer and ONNX Runtime build) running
 * feature-extraction with the model's pooling and normalisation, offline, one text per call.
 */
class EmbeddingReferenceTest {
    private static final double TOLERANCE = 1e-5;

    @TempDir
    Path models;

    @Test
    void embed_variedTexts_matchTransformersJsWithin1e5() throws Exception {
        MiniLm.writeEmbedding(models, "st", "onnx/model.onnx", MiniLm.LIMITS);
        Files.writeString(models.resolve("st/tokenizer_config.json"), MiniLm.TOKENIZER_CONFIG);
        List<String> texts = EmbeddingTexts.VARIED;
        ObjectMapper json = new ObjectMapper();
        Path textsFile = models.resolve("texts.json");
        json.writeValue(textsFile.toFile(), texts);
        JsonNode reference = json.readTree(NpmRefs.node(
                                "embed_reference.mjs", models.toString(), "st", "mean", "true", textsFile.toString())
                        .withTimeout(Duration.ofMinutes(3))
                        .run()
                        .requireSuccess()
                        .stdout())
                .path("vectors");

        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            List<EmbeddingInput> inputs =
                    texts.stream().<EmbeddingInput>map(EmbeddingInput.Text::new).toList();
            EmbeddingResult ours = engine.embed(new EmbeddingRequest(
                    "ref", "st", inputs, false, 0, Instant.now().plusSeconds(60)));
            double worst = 0;
            for (int i = 0; i < texts.size(); i++) {
                float[] v = ours.vectors().get(i);
                JsonNode r = reference.get(i);
                assertThat(r.size()).as("dimensions of text %d", i).isEqualTo(v.length);
                for (int d = 0; d < v.length; d++) {
                    worst = Math.max(worst, Math.abs(v[d] - r.get(d).asDouble()));
                }
            }
            System.out.printf(
                    "EmbeddingReferenceTest: %d texts, max |ours - transformers.js| = %.3g%n", texts.size(), worst);
            assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
