package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import io.parallelix.node.gpu.testing.TestModels;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineProvidersTest {
    static final GpuProbe.Report NO_GPU = new GpuProbe.Report(List.of(), null, 0, Map.of());

    @TempDir
    Path models;

    /** The real failure path: this build machine has no CUDA 12 / cuDNN 9. */
    @Test
    void open_cudaWithoutCudaLibraries_refusesNamingTheLibraryAndTheFix() {
        assumeFalse(
                new GpuProbe().probe().cudaLibrariesPresent(), "this host has CUDA: the failure path cannot happen");
        TestModels.writeAdd(models);

        if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) { // -Port-cpu
            assertThatThrownBy(() -> InferenceEngine.open(config(ProviderMode.CUDA, List.of(0))))
                    .hasMessageContaining("this ONNX Runtime build has no CUDA provider")
                    .hasMessageContaining("onnxruntime_gpu");
            return;
        }
        assertThatThrownBy(() -> InferenceEngine.open(config(ProviderMode.CUDA, List.of(0))))
                .isInstanceOf(EngineException.class)
                .hasMessageStartingWith("provider cuda: model 'add': the CUDA execution provider cannot be loaded: ")
                .hasMessageMatching("(?s).*: lib[A-Za-z0-9_]+\\.so\\.\\d+ is missing.*")
                .hasMessageContaining("install CUDA 12 and cuDNN 9")
                .hasMessageContaining("LD_LIBRARY_PATH")
                .hasMessageContaining("set the provider to auto or cpu");
    }

    @Test
    void open_autoWithoutCudaLibraries_fallsBackToCpu() throws Exception {
        assumeFalse(new GpuProbe().probe().cudaLibrariesPresent(), "this host has CUDA: no fallback to see");
        TestModels.writeAdd(models);

        try (InferenceEngine engine = InferenceEngine.open(config(ProviderMode.AUTO, List.of(0)))) {
            assertThat(engine.model("add").orElseThrow().provider()).isEqualTo("CPUExecutionProvider");
            assertThat(engine.model("add").orElseThrow().deviceIds()).isEmpty();
            assertThat(engine.fingerprint().provider()).isEqualTo("CPUExecutionProvider");
            assertThat(engine.infer(InferenceEngineTest.addRequest(1, 2, 3, 4)).provider())
                    .isEqualTo("CPUExecutionProvider");
        }
    }

    @Test
    void open_cpu_neverTouchesCuda() throws Exception {
        TestModels.writeAdd(models);
        TestModels.writeMulti(models);
        AtomicInteger cudaCalls = new AtomicInteger();
        AtomicInteger probes = new AtomicInteger();
        EngineDependencies deps = new EngineDependencies(
                (options, providerOptions) -> cudaCalls.incrementAndGet(),
                () -> {
                    probes.incrementAndGet();
                    return NO_GPU;
                },
                Path.of("/proc/cpuinfo"));

        try (InferenceEngine engine =
                InferenceEngine.open(config(ProviderMode.CPU, List.of(0)), Clock.systemUTC(), deps)) {
            assertThat(engine.models()).allMatch(m -> m.provider().equals("CPUExecutionProvider"));
        }
        assertThat(cudaCalls).hasValue(0);
        assertThat(probes).hasValue(0);
    }

    @Test
    void open_autoWhenCudaFails_triesOnceThenCpuForEveryModel() throws Exception {
        TestModels.writeAdd(models);
        TestModels.writeMulti(models);
        TestModels.writeFailing(models);
        AtomicInteger cudaCalls = new AtomicInteger();
        EngineDependencies deps = new EngineDependencies(
                (options, providerOptions) -> {
                    cudaCalls.incrementAndGet();
                    throw new OrtException("Failed to load library libonnxruntime_providers_cuda.so with error:"
                            + " libcudnn.so.9: cannot open shared object file: No such file or directory");
                },
                () -> NO_GPU,
                Path.of("/proc/cpuinfo"));

        try (InferenceEngine engine =
                InferenceEngine.open(config(ProviderMode.AUTO, List.of(0)), Clock.systemUTC(), deps)) {
            assertThat(engine.models()).hasSize(3).allMatch(m -> m.provider().equals("CPUExecutionProvider"));
        }
        assertThat(cudaCalls).hasValue(1);
    }

    @Test
    void open_cudaRegistrationFails_messageNamesTheLibraryOrtReported() {
        TestModels.writeAdd(models);
        EngineDependencies deps = new EngineDependencies(
                (options, providerOptions) -> {
                    throw new OrtException(
                            "... with error: libcudnn.so.9: cannot open shared object file: No such file");
                },
                () -> NO_GPU,
                Path.of("/proc/cpuinfo"));

        assertThatThrownBy(() -> InferenceEngine.open(config(ProviderMode.CUDA, List.of(0)), Clock.systemUTC(), deps))
                .hasMessageContaining("libcudnn.so.9 is missing");
    }

    /**
     * Wiring only: the fake registrar registers nothing, so these sessions run on the CPU while
     * labelled CUDA, which is exactly why a failed registration must never be ignored.
     */
    @Test
    void open_cudaOnTwoDevices_sessionsPerInstancePerDeviceWithTheirOptions() throws Exception {
        Path dir = TestModels.writeAdd(models);
        TestModels.writeConfig(dir, "instances: 2\n");
        List<Map<String, String>> registered = new ArrayList<>();
        GpuProbe.Report gpus =
                new GpuProbe.Report(List.of("GPU A", "GPU B"), "550.1", 2, Map.of("libcudart.so.12", Optional.empty()));
        EngineDependencies deps = new EngineDependencies(
                (options, providerOptions) -> registered.add(providerOptions), () -> gpus, Path.of("/proc/cpuinfo"));

        try (InferenceEngine engine =
                InferenceEngine.open(config(ProviderMode.CUDA, List.of(0, 1)), Clock.systemUTC(), deps)) {
            ModelInfo add = engine.model("add").orElseThrow();
            assertThat(add.provider()).isEqualTo("CUDAExecutionProvider");
            assertThat(add.deviceIds()).containsExactly(0, 1);
            assertThat(add.instances()).isEqualTo(2);
            assertThat(engine.fingerprint())
                    .isEqualTo(new RuntimeFingerprint(
                            "1.29.0", "CUDAExecutionProvider", "GPU A, GPU B", "550.1", null, null, false));
        }
        assertThat(registered).extracting(o -> o.get("device_id")).containsExactly("0", "0", "1", "1");
        assertThat(registered).allMatch(o -> o.get("use_tf32").equals("0"));
    }

    @Test
    void open_disableCpuFallbackOnCpu_ignoredAndLoads() throws Exception {
        Path dir = TestModels.writeAdd(models);
        TestModels.writeConfig(dir, "disable_cpu_ep_fallback: true\n");

        try (InferenceEngine engine = InferenceEngine.open(config(ProviderMode.CPU, List.of(0)))) {
            assertThat(engine.infer(InferenceEngineTest.addRequest(1, 2, 3, 4)).provider())
                    .isEqualTo("CPUExecutionProvider");
        }
    }

    private EngineConfig config(ProviderMode mode, List<Integer> devices) {
        CudaOptions cuda = new CudaOptions(devices, 0, "kNextPowerOfTwo", "HEURISTIC", false, true);
        return new EngineConfig(models, mode, cuda, false, 1, 0, 2);
    }
}
