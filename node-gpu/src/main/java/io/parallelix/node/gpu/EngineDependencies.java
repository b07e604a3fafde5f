package io.parallelix.node.gpu;

import java.nio.file.Path;
import java.util.function.Supplier;

/** What an engine reaches outside the JVM for, replaceable in tests; cpuCores sizes the CPU runs. */
record EngineDependencies(CudaRegistrar cudaRegistrar, Supplier<GpuProbe.Report> gpuProbe, Path cpuInfo, int cpuCores) {
    EngineDependencies(CudaRegistrar cudaRegistrar, Supplier<GpuProbe.Report> gpuProbe, Path cpuInfo) {
        this(cudaRegistrar, gpuProbe, cpuInfo, Runtime.getRuntime().availableProcessors());
    }

    static EngineDependencies system() {
        return new EngineDependencies(CudaRegistrar.ORT, () -> new GpuProbe().probe(), Path.of("/proc/cpuinfo"));
    }
}
