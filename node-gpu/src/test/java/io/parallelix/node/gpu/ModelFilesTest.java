package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.testing.OnnxGraph;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.testing.Subprocess;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files of a model that go into its digest, and the digest itself. */
class ModelFilesTest {
    @TempDir
    Path models;

    /** "ext": y = x + w, with w = [1, 2, 3, 4] kept in {@code weights.bin} beside the graph. */
    private Path writeExternal(String graphPath) throws Exception {
        OnnxGraph g = new OnnxGraph("ext")
                .input("x", OnnxGraph.FLOAT, 1, 4)
                .output("y", OnnxGraph.FLOAT, 1, 4)
                .externalInitializer("w", OnnxGraph.FLOAT, new long[] {1, 4}, "weights.bin", 8, 16)
                .node("Add", List.of("x", "w"), List.of("y"));
        Path dir = Files.createDirectories(models.resolve("ext"));
        Path graph = dir.resolve(graphPath);
        Files.createDirectories(graph.getParent());
        Files.write(graph, g.toModel(17));
        ByteBuffer data = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        data.putLong(0).putFloat(1).putFloat(2).putFloat(3).putFloat(4);
        Files.write(graph.resolveSibling("weights.bin"), data.array());
        return dir;
    }

    private static ModelRepository.Entry entry(Path dir) throws EngineException {
        return ModelRepository.scan(dir.getParent()).stream()
                .filter(e -> e.dir().equals(dir))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void of_graphOnly_isTheFileDigestAsInV1() throws Exception {
        Path dir = TestModels.writeAdd(models);
        ModelFiles files = ModelFiles.of(entry(dir));
        assertThat(files.paths()).containsExactly("model.onnx");
        assertThat(files.sha256()).isEqualTo(FileDigest.sha256(dir.resolve("model.onnx")));
    }

    @Test
    void of_externalData_isFoundInTheGraphAndReproducedBySha256sum() throws Exception {
        Path dir = writeExternal("onnx/model.onnx");
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        Files.writeString(dir.resolve("README.md"), "not read by the node");
        ModelFiles files = ModelFiles.of(entry(dir));
        assertThat(files.paths()).containsExactly("onnx/model.onnx", "onnx/weights.bin", "tokenizer.json");

        // The documented recipe, by coreutils: sha256sum over the files in this order, then sha256sum of that.
        List<String> command = new ArrayList<>(List.of("sh", "-c", "sha256sum \"$@\" | sha256sum", "sh"));
        command.addAll(files.paths());
        String out = Subprocess.of(dir, command).run().requireSuccess().stdout();
        assertThat(out.substring(0, 64)).isEqualTo(files.sha256());
    }

    @Test
    void of_anyFileThatCanChangeAResult_changesTheDigest() throws Exception {
        Path dir = writeExternal("model.onnx");
        Files.writeString(dir.resolve("tokenizer.json"), "{}");
        String before = ModelFiles.of(entry(dir)).sha256();
        Files.write(dir.resolve("weights.bin"), new byte[24]);
        String weights = ModelFiles.of(entry(dir)).sha256();
        Files.writeString(dir.resolve("tokenizer.json"), "{ }");
        String tokenizer = ModelFiles.of(entry(dir)).sha256();
        Files.writeString(dir.resolve("README.md"), "docs do not count");
        String docs = ModelFiles.of(entry(dir)).sha256();
        assertThat(List.of(before, weights, tokenizer)).doesNotHaveDuplicates();
        assertThat(docs).isEqualTo(tokenizer);
    }

    @Test
    void of_missingOrEscapingExternalData_isRefusedNamingIt() throws Exception {
        Path dir = writeExternal("model.onnx");
        Files.delete(dir.resolve("weights.bin"));
        assertThatThrownBy(() -> ModelFiles.of(entry(dir)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("'weights.bin'")
                .hasMessageContaining("Fix:");
        OnnxGraph g = new OnnxGraph("esc")
                .input("x", OnnxGraph.FLOAT, 1, 4)
                .output("y", OnnxGraph.FLOAT, 1, 4)
                .externalInitializer("w", OnnxGraph.FLOAT, new long[] {1, 4}, "../../etc/passwd", 0, 16)
                .node("Add", List.of("x", "w"), List.of("y"));
        Files.write(dir.resolve("model.onnx"), g.toModel(17));
        assertThatThrownBy(() -> ModelFiles.of(entry(dir))).hasMessageContaining("not a file inside");
    }

    @Test
    void open_externalDataModel_runsAndPinChecksEveryFile() throws Exception {
        Path dir = writeExternal("model.onnx");
        String pin = ModelFiles.of(entry(dir)).sha256();
        Files.writeString(dir.resolve("config.yaml"), "sha256: \"" + pin + "\"\n");
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            assertThat(engine.model("ext").orElseThrow().sha256()).isEqualTo(pin);
            InferenceResult r = engine.infer(new InferenceRequest(
                    "r",
                    "ext",
                    List.of(io.parallelix.node.gpu.testing.TestTensors.fp32("x", List.of(1L, 4L), 1, 1, 1, 1)),
                    List.of(),
                    Instant.now().plusSeconds(30)));
            assertThat(Safetensors.decode(r.safetensors())
                            .tensors()
                            .get(0)
                            .data()
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .getFloat(12))
                    .isEqualTo(5f);
        }
        Files.write(dir.resolve("weights.bin"), new byte[24]);
        assertThatThrownBy(() -> InferenceEngine.open(TestModels.cpuConfig(models)))
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("[model.onnx, weights.bin]")
                .hasMessageContaining("pins " + pin);
    }
}
