package io.parallelix.node.gpu;

import java.util.List;

/**
 * CUDA provider settings from config. gpuMemLimit 0 means ORT's default (no limit);
 * arenaExtendStrategy "kNextPowerOfTwo" | "kSameAsRequested"; cudnnConvAlgoSearch "EXHAUSTIVE" |
 * "HEURISTIC" | "DEFAULT".
 */
public record CudaOptions(
        List<Integer> deviceIds,
        long gpuMemLimit,
        String arenaExtendStrategy,
        String cudnnConvAlgoSearch,
        boolean useTf32,
        boolean doCopyInDefaultStream) {

    public static CudaOptions defaults() {
        return new CudaOptions(List.of(0), 0, "kNextPowerOfTwo", "HEURISTIC", false, true);
    }
}
