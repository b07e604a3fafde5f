package io.parallelix.node.gpu;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import java.util.stream.Collectors;

/** One line about the ONNX Runtime in use, for {@code pxnode --version}; never throws. */
public final class OrtRuntime {
    private OrtRuntime() {}

    /**
     * "onnxruntime 1.29.0, providers built in: CPUExecutionProvider, CUDAExecutionProvider" (built
     * in is not usable: CUDA also needs the host's CUDA 12 and cuDNN 9, see self-test).
     */
    public static String describe() {
        try {
            String version = OrtEnvironment.getEnvironment().getVersion();
            String providers = OrtEnvironment.getAvailableProviders().stream()
                    .map(OrtProvider::getName)
                    .sorted()
                    .collect(Collectors.joining(", "));
            return "onnxruntime " + version + ", providers built in: " + providers;
        } catch (RuntimeException | LinkageError e) {
            return "onnxruntime unavailable: " + e.getMessage();
        }
    }
}
