package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The canonical results, read by an independent implementation: scripts/read_safetensors.py
 * (Python + numpy, none of our code), which also checks the canonical form on its own. Fails,
 * rather than skips, when python3 or numpy is missing.
 */
class SafetensorsPythonReaderTest {
    private static final Path SCRIPT = RepoRoot.resolve("scripts/read_safetensors.py");

    @TempDir
    Path dir;

    @Test
    void pythonReader_allTypesResult_decodesToTheInputValues() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        TestModels.writeAllTypes(models);
        Path file = dir.resolve("alltypes.safetensors");
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            Files.write(file, engine.infer(AllTypesTest.request()).safetensors());
        }

        JsonNode decoded = runReader(file);

        JsonNode tensors = decoded.path("tensors");
        assertThat(values(tensors.path("out_bool"))).containsExactly("true", "false", "false", "true");
        assertThat(values(tensors.path("out_uint8"))).containsExactly("0", "255", "7", "128");
        assertThat(values(tensors.path("out_int8"))).containsExactly("-128", "127", "0", "-1");
        assertThat(values(tensors.path("out_int16"))).containsExactly("-32768", "32767", "1", "-2");
        assertThat(values(tensors.path("out_int32"))).containsExactly("-2147483648", "2147483647", "3", "-4");
        assertThat(values(tensors.path("out_int64")))
                .containsExactly("-9223372036854775808", "9223372036854775807", "5", "-6");
        assertThat(doubles(tensors.path("out_fp16"))).containsExactly(1.5, -2.0, 65504.0, 0.0009765625);
        assertThat(doubles(tensors.path("out_bf16")))
                .containsExactly(
                        1.5, -2.0, (double) Float.intBitsToFloat(ConfigValues.toBfloat16(3.0e38f) << 16), 0.25);
        assertThat(doubles(tensors.path("out_fp32")))
                .containsExactly(1.5, -2.25, (double) Float.MAX_VALUE, (double) Float.MIN_VALUE);
        assertThat(doubles(tensors.path("out_fp64"))).containsExactly(1.5, -2.25, Double.MAX_VALUE, Double.MIN_VALUE);
        assertThat(values(tensors.path("out_bytes"))).containsExactly(AllTypesTest.STRINGS);
        assertThat(tensors.path("out_bytes").path("shape").toString()).isEqualTo("[2,2]");
        assertThat(tensors.path("out_fp32").path("shape").toString()).isEqualTo("[2,2]");
        assertThat(decoded.path("metadata").path("model").asText()).isEqualTo("alltypes");
    }

    @Test
    void pythonReader_addResult_decodesToTheSum() throws Exception {
        Path models = Files.createDirectories(dir.resolve("models"));
        TestModels.writeAdd(models);
        Path file = dir.resolve("add.safetensors");
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            Files.write(
                    file,
                    engine.infer(InferenceEngineTest.addRequest(1, 2, 3, 4)).safetensors());
        }

        JsonNode sum = runReader(file).path("tensors").path("sum");

        assertThat(sum.path("dtype").asText()).isEqualTo("F32");
        assertThat(doubles(sum)).containsExactly(2.0, 3.0, 4.0, 5.0);
    }

    private static JsonNode runReader(Path file) throws IOException {
        assertThat(SCRIPT).exists();
        Subprocess.Result python = Subprocess.of(file.getParent(), "python3", SCRIPT.toString(), file.toString())
                .run();
        assertThat(python.exit())
                .as("read_safetensors.py failed (python3 with numpy is required): %s", python.stderr())
                .isZero();
        return new ObjectMapper().readTree(python.stdout());
    }

    private static List<String> values(JsonNode tensor) {
        List<String> out = new ArrayList<>();
        tensor.path("values").forEach(v -> out.add(v.asText()));
        return out;
    }

    private static List<Double> doubles(JsonNode tensor) {
        List<Double> out = new ArrayList<>();
        tensor.path("values").forEach(v -> out.add(v.doubleValue()));
        return out;
    }
}
