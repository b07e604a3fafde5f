package io.parallelix.node.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Builds runtime fingerprints. On CUDA the device is the configured GPUs' names and the CUDA and
 * cuDNN versions come from the versioned file names the libraries resolve to
 * (libcudart.so.12 -> libcudart.so.12.4.127); on the CPU the device is the CPU model, since CPU
 * kernels differ between instruction sets too.
 */
final class Fingerprints {
    static final String CUDA = "CUDAExecutionProvider";
    static final String CPU = "CPUExecutionProvider";

    private Fingerprints() {}

    static RuntimeFingerprint cuda(
            String ortVersion, GpuProbe.Report report, List<Integer> deviceIds, boolean deterministic) {
        return cuda(ortVersion, report, deviceIds, deterministic, 0);
    }

    static RuntimeFingerprint cuda(
            String ortVersion,
            GpuProbe.Report report,
            List<Integer> deviceIds,
            boolean deterministic,
            int intraOpThreads) {
        List<String> names = deviceIds.stream()
                .filter(id -> id < report.devices().size())
                .map(id -> report.devices().get(id))
                .distinct()
                .toList();
        List<String> capabilities = deviceIds.stream()
                .filter(id -> id < report.computeCapabilities().size())
                .map(id -> report.computeCapabilities().get(id))
                .distinct()
                .toList();
        return new RuntimeFingerprint(
                ortVersion,
                CUDA,
                names.isEmpty() ? null : String.join(", ", names),
                report.driverVersion(),
                libraryVersion(report, "libcudart.so.12"),
                libraryVersion(report, "libcudnn.so.9"),
                deterministic,
                capabilities.isEmpty() ? null : String.join(", ", capabilities),
                intraOpThreads);
    }

    static RuntimeFingerprint cpu(String ortVersion, @Nullable String cpuModel, boolean deterministic) {
        return cpu(ortVersion, cpuModel, deterministic, 0);
    }

    static RuntimeFingerprint cpu(
            String ortVersion, @Nullable String cpuModel, boolean deterministic, int intraOpThreads) {
        return new RuntimeFingerprint(ortVersion, CPU, cpuModel, null, null, null, deterministic, null, intraOpThreads);
    }

    static @Nullable String libraryVersion(GpuProbe.Report report, String soname) {
        Optional<Path> found = report.libraries().getOrDefault(soname, Optional.empty());
        if (found.isEmpty()) {
            return null;
        }
        String file;
        try {
            file = found.get().toRealPath().getFileName().toString();
        } catch (IOException e) {
            file = soname;
        }
        Matcher m = Pattern.compile("\\.so\\.([0-9][0-9.]*)$").matcher(file);
        return m.find() ? m.group(1) : null;
    }

    /** "model name" from /proc/cpuinfo, or null where there is none. */
    static @Nullable String cpuModel(Path cpuinfo) {
        try {
            Matcher m = Pattern.compile("(?m)^model name\\s*:\\s*(.+?)\\s*$").matcher(Files.readString(cpuinfo));
            return m.find() ? m.group(1) : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
