package io.parallelix.node.gpu;

import java.util.Map;
import java.util.TreeMap;

/**
 * Node config to the CUDA provider's string options, as ORT's OrtCUDAProviderOptions.add takes
 * them. Pure, so it is tested without CUDA. Deterministic mode forces HEURISTIC convolution search
 * (EXHAUSTIVE benchmarks and may pick different algorithms per run) and turns TF32 off.
 */
final class CudaProviderOptions {
    private CudaProviderOptions() {}

    /** Options for one device, keys sorted (CudaOptions checked its values when built). */
    static Map<String, String> forDevice(CudaOptions cuda, int deviceId, boolean deterministic) {
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
}
