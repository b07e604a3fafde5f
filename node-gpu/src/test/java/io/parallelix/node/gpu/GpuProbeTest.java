package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GpuProbeTest {
    @TempDir
    Path dir;

    @Test
    void probe_thisHost_answersWithoutCrashingOrHanging() {
        GpuProbe.Report report = new GpuProbe().probe();

        assertThat(report.libraries().keySet()).containsExactlyElementsOf(GpuProbe.CUDA_LIBRARIES);
        if (!report.gpuPresent()) {
            assertThat(report.totalMemoryBytes()).isZero();
        }
    }

    @Test
    void probe_nvidiaSmiAndLibraries_reported() throws IOException {
        Path cudaLib = Files.createDirectories(dir.resolve("cuda/lib64"));
        Path ldLib = Files.createDirectories(dir.resolve("ld"));
        Files.createFile(ldLib.resolve("libcudart.so.12"));
        Files.createFile(cudaLib.resolve("libcublas.so.12"));
        Path cached = Files.createFile(dir.resolve("libcudnn.so.9"));
        CommandRunner fake = (command, timeout) -> switch (command.get(0)) {
            case "nvidia-smi" ->
                Optional.of("NVIDIA H100 80GB HBM3, 81559, 550.54.15\nNVIDIA H100 80GB HBM3, 81559, 550.54.15\n");
            case "/sbin/ldconfig" ->
                Optional.of("123 libs found in cache `/etc/ld.so.cache'\n" + "\tlibcudnn.so.9 (libc6,x86-64) => "
                        + cached + "\n");
            default -> Optional.empty();
        };

        GpuProbe.Report report = new GpuProbe(fake, ldLib.toString(), List.of(cudaLib), dir.resolve("no-proc")).probe();

        assertThat(report.devices()).containsExactly("NVIDIA H100 80GB HBM3", "NVIDIA H100 80GB HBM3");
        assertThat(report.driverVersion()).isEqualTo("550.54.15");
        assertThat(report.totalMemoryBytes()).isEqualTo(2 * 81559L * 1024 * 1024);
        assertThat(report.libraries())
                .containsEntry("libcudart.so.12", Optional.of(ldLib.resolve("libcudart.so.12")))
                .containsEntry("libcublas.so.12", Optional.of(cudaLib.resolve("libcublas.so.12")))
                .containsEntry("libcudnn.so.9", Optional.of(cached))
                .containsEntry("libcufft.so.11", Optional.empty());
        assertThat(report.gpuPresent()).isTrue();
        assertThat(report.cudaLibrariesPresent()).isFalse();
    }

    @Test
    void probe_noNvidiaSmi_readsProcDriver() throws IOException {
        Path proc = Files.createDirectories(dir.resolve("proc/driver/nvidia"));
        Files.writeString(
                proc.resolve("version"),
                "NVRM version: NVIDIA UNIX x86_64 Kernel Module  550.54.15  Tue Mar  5 22:23:56 UTC 2024\n");
        Path gpu = Files.createDirectories(proc.resolve("gpus/0000:01:00.0"));
        Files.writeString(gpu.resolve("information"), "Model: \t\t NVIDIA L4\nIRQ:   \t\t 42\n");
        CommandRunner nothing = (command, timeout) -> Optional.empty();

        GpuProbe.Report report = new GpuProbe(nothing, null, List.of(), proc).probe();

        assertThat(report.devices()).containsExactly("NVIDIA L4");
        assertThat(report.driverVersion()).isEqualTo("550.54.15");
        assertThat(report.cudaLibrariesPresent()).isFalse();
    }

    @Test
    void probe_nothingAnywhere_emptyReport() {
        CommandRunner nothing = (command, timeout) -> Optional.empty();

        GpuProbe.Report report = new GpuProbe(nothing, "", List.of(dir), dir.resolve("absent")).probe();

        assertThat(report.gpuPresent()).isFalse();
        assertThat(report.driverVersion()).isNull();
        assertThat(report.libraries().values()).allMatch(Optional::isEmpty);
    }

    @Test
    void systemRunner_slowCommand_givesUpAtTheTimeout() {
        Optional<String> out = CommandRunner.SYSTEM.run(List.of("sleep", "30"), Duration.ofMillis(200));

        assertThat(out).isEmpty();
    }

    @Test
    void systemRunner_missingOrFailingCommand_empty() {
        assertThat(CommandRunner.SYSTEM.run(List.of("/nonexistent/nvidia-smi"), Duration.ofSeconds(5)))
                .isEmpty();
        assertThat(CommandRunner.SYSTEM.run(List.of("false"), Duration.ofSeconds(5)))
                .isEmpty();
        assertThat(CommandRunner.SYSTEM.run(List.of("echo", "hi"), Duration.ofSeconds(5)))
                .contains("hi\n");
    }

    @Test
    void fingerprint_cuda_versionsFromResolvedLibraryNames() throws IOException {
        Path real = Files.createFile(dir.resolve("libcudart.so.12.4.127"));
        Path link = Files.createSymbolicLink(dir.resolve("libcudart.so.12"), real);
        GpuProbe.Report report =
                new GpuProbe.Report(List.of("NVIDIA A10"), "550.1", 1, Map.of("libcudart.so.12", Optional.of(link)));

        RuntimeFingerprint fp = Fingerprints.cuda("1.29.0", report, List.of(0), true);

        assertThat(fp)
                .isEqualTo(new RuntimeFingerprint(
                        "1.29.0", "CUDAExecutionProvider", "NVIDIA A10", "550.1", "12.4.127", null, true));
    }
}
