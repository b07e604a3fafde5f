package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.testing.TestModels;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Needs an NVIDIA GPU with CUDA 12 and cuDNN 9: runs only with -Pgpu. */
@Tag("gpu")
class CudaGpuTest {
    @TempDir
    Path models;

    @Test
    void open_cuda_runsOnTheGpuAndReportsIt() throws Exception {
        TestModels.writeAdd(models);
        TestModels.writeAllTypes(models);
        EngineConfig config = new EngineConfig(models, ProviderMode.CUDA, CudaOptions.defaults(), true, 0, 0, 2);

        try (InferenceEngine engine = InferenceEngine.open(config)) {
            assertThat(engine.models()).allMatch(m -> m.provider().equals("CUDAExecutionProvider"));
            assertThat(engine.model("add").orElseThrow().deviceIds()).containsExactly(0);
            RuntimeFingerprint fp = engine.fingerprint();
            assertThat(fp.provider()).isEqualTo("CUDAExecutionProvider");
            assertThat(fp.device()).isNotBlank();
            assertThat(fp.driverVersion()).isNotBlank();
            InferenceResult result = engine.infer(InferenceEngineTest.addRequest(1, 2, 3, 4));
            assertThat(result.provider()).isEqualTo("CUDAExecutionProvider");
            assertThat(InferenceEngineTest.floats(Safetensors.decode(result.safetensors())
                            .tensors()
                            .get(0)
                            .data()))
                    .containsExactly(2, 3, 4, 5);
            assertThat(engine.infer(AllTypesTest.request()).safetensors())
                    .isEqualTo(engine.infer(AllTypesTest.request()).safetensors());
        }
    }

    @Test
    void probe_gpuHost_findsDeviceAndLibraries() {
        GpuProbe.Report report = new GpuProbe().probe();

        assertThat(report.gpuPresent()).isTrue();
        assertThat(report.totalMemoryBytes()).isPositive();
        assertThat(report.libraries())
                .containsKeys(List.of("libcudart.so.12", "libcublasLt.so.12").toArray(String[]::new));
    }
}
