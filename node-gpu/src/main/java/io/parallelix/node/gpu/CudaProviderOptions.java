package io.parallelix.node.gpu;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Node config to the CUDA provider's string options, as ORT's OrtCUDAProviderOptions.add takes
 * them. Pure, so it is tested without CUDA. Deterministic mode forces HEURISTIC convolution search
 * (EXHAUSTIVE benchmarks and may pick different algorithms per run) and turns TF32 off.
 */
final class CudaProviderOptions {
    static final Set<String> ARENA_STRATEGIES = Set.of("kNextPowerOfTwo", "kSameAsRequested");
    static final Set<String> CONV_ALGO_SEARCHES = Set.of("EXHAUSTIVE", "HEURISTIC", "DEFAULT");

    private CudaProviderOptions() {}

    /** Options for one device, keys sorted; IllegalArgumentException names a bad value. */
    static Map<String, String> forDevice(CudaOptions cuda, int deviceId, boolean deterministic) {
        validate(cuda);
        if (!cuda.deviceIds().contains(deviceId)) {
            throw new IllegalArgumentException(
                    "device " + deviceId + " is not among cuda device ids " + cuda.deviceIds());
        }
        Map<String, String> options = new TreeMap<>();
        options.put("device_id", Integer.toString(deviceId));
        if (cuda.gpuMemLimit() > 0) {
            options.put("gpu_mem_limit", Long.toString(cuda.gpuMemLimit()));
        }
        options.put("arena_extend_strategy", cuda.arenaExtendStrategy());
        options.put("cudnn_conv_algo_search", deterministic ? "HEURISTIC" : cuda.cudnnConvAlgoSearch());
        options.put("use_tf32", !deterministic && cuda.useTf32() ? "1" : "0");
        options.put("do_copy_in_default_stream", cuda.doCopyInDefaultStream() ? "1" : "0");
        return options;
    }

    static void validate(CudaOptions cuda) {
        if (cuda.deviceIds().isEmpty()) {
            throw new IllegalArgumentException("cuda device ids must name at least one device");
        }
        for (int id : cuda.deviceIds()) {
            if (id < 0) {
                throw new IllegalArgumentException("cuda device id must be >= 0, got " + id);
            }
        }
        if (cuda.deviceIds().stream().distinct().count() != cuda.deviceIds().size()) {
            throw new IllegalArgumentException("cuda device ids repeat: " + cuda.deviceIds());
        }
        if (cuda.gpuMemLimit() < 0) {
            throw new IllegalArgumentException("gpu_mem_limit must be >= 0 (0 = no limit), got " + cuda.gpuMemLimit());
        }
        if (!ARENA_STRATEGIES.contains(cuda.arenaExtendStrategy())) {
            throw new IllegalArgumentException(
                    "arena_extend_strategy must be kNextPowerOfTwo or kSameAsRequested, got '"
                            + cuda.arenaExtendStrategy() + "'");
        }
        if (!CONV_ALGO_SEARCHES.contains(cuda.cudnnConvAlgoSearch())) {
            throw new IllegalArgumentException("cudnn_conv_algo_search must be EXHAUSTIVE, HEURISTIC or DEFAULT, got '"
                    + cuda.cudnnConvAlgoSearch() + "'");
        }
    }
}
