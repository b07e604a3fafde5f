package io.parallelix.node.gpu;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Looks for an NVIDIA GPU and the CUDA 12 / cuDNN 9 libraries ORT's CUDA provider needs, without
 * loading CUDA and without failing where there is none.
 */
public final class GpuProbe {
    /** libraries: soname -> where it was found (empty if not). */
    public record Report(
            List<String> devices,
            @Nullable String driverVersion,
            long totalMemoryBytes,
            Map<String, Optional<Path>> libraries) {

        public boolean gpuPresent() {
            return !devices.isEmpty();
        }

        public boolean cudaLibrariesPresent() {
            return libraries.values().stream().allMatch(Optional::isPresent);
        }
    }

    public Report probe() {
        throw new UnsupportedOperationException("stub");
    }
}
