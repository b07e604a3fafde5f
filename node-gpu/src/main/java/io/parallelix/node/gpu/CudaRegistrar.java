package io.parallelix.node.gpu;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.util.Map;

/**
 * Appends the CUDA provider to session options. Through OrtCUDAProviderOptions, not addCUDA(int):
 * that one prints the cause on stderr and throws a bare "Failed to load shared library", while this
 * path carries dlopen's message (the missing library) in the exception. An interface so tests can
 * count calls (CPU mode must never make one) without CUDA.
 */
interface CudaRegistrar {
    void register(SessionOptions options, Map<String, String> providerOptions) throws OrtException;

    CudaRegistrar ORT = (options, providerOptions) -> {
        // Loading the provider library (582 MB, extracted unless onnxruntime.native.path is set)
        // happens here, so this is where a missing CUDA or cuDNN shows.
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions()) {
            for (Map.Entry<String, String> e : providerOptions.entrySet()) {
                cuda.add(e.getKey(), e.getValue());
            }
            options.addCUDA(cuda);
        }
    };
}
