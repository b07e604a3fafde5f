package io.parallelix.node.gpu;

import java.util.List;
import java.util.Set;

/**
 * CUDA provider settings from config, checked when built: messages name the config key
 * (device_ids, gpu_mem_limit, ...) so the daemon can say where it is. gpuMemLimit 0 means ORT's
 * default (no limit). Validated even with provider cpu, as the node config always was.
 */
public record CudaOptions(
        List<Integer> deviceIds,
        long gpuMemLimit,
        String arenaExtendStrategy,
        String cudnnConvAlgoSearch,
        boolean useTf32,
        boolean doCopyInDefaultStream) {

    static final List<String> ARENA_STRATEGIES = List.of("kNextPowerOfTwo", "kSameAsRequested");
    static final List<String> CONV_ALGO_SEARCHES = List.of("EXHAUSTIVE", "HEURISTIC", "DEFAULT");

    public CudaOptions {
        if (deviceIds == null || deviceIds.isEmpty()) {
            throw new IllegalArgumentException("device_ids must name at least one device");
        }
        deviceIds = List.copyOf(deviceIds); // also refuses null elements
        for (int id : deviceIds) {
            if (id < 0) {
                throw new IllegalArgumentException("device_ids must be >= 0, got " + id);
            }
        }
        if (Set.copyOf(deviceIds).size() != deviceIds.size()) {
            throw new IllegalArgumentException("device_ids repeat a device: " + deviceIds);
        }
        if (gpuMemLimit < 0) {
            throw new IllegalArgumentException("gpu_mem_limit must be >= 0 (0 = no limit), got " + gpuMemLimit);
        }
        oneOf("arena_extend_strategy", arenaExtendStrategy, ARENA_STRATEGIES);
        oneOf("cudnn_conv_algo_search", cudnnConvAlgoSearch, CONV_ALGO_SEARCHES);
    }

    /** The built-in defaults (as in node-daemon's pxnode-defaults.yaml), for engines opened without a node config. */
    public static CudaOptions defaults() {
        return new CudaOptions(List.of(0), 0, "kNextPowerOfTwo", "HEURISTIC", false, true);
    }

    private static void oneOf(String key, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(
                    key + " must be one of " + String.join(", ", allowed) + "; got '" + value + "'");
        }
    }
}
