package io.parallelix.node.gpu;

import java.nio.file.Path;
import java.util.function.Supplier;

/** What an engine reaches outside the JVM for, replaceable in tests. */
record EngineDependencies(CudaRegistrar cudaRegistrar, Supplier<GpuProbe.Report> gpuProbe, Path cpuInfo) {
    static EngineDependencies system() {
        return new EngineDependencies(CudaRegistrar.ORT, () -> new GpuProbe().probe(), Path.of("/proc/cpuinfo"));
    }
}
