package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CudaFailureTest {
    // ONNX Runtime 1.29's words on a host without CUDA (seen on the build machine).
    private static final String ORT_MESSAGE =
            "Error code - ORT_FAIL - message: /onnxruntime_src/onnxruntime/core/session/"
                    + "provider_bridge_ort.cc:1988 onnxruntime::Provider& onnxruntime::ProviderLibrary::Get() [ONNXRuntimeError]"
                    + " : 1 : FAIL : Failed to load library /tmp/onnxruntime-java1/libonnxruntime_providers_cuda.so with error:"
                    + " libcublasLt.so.12: cannot open shared object file: No such file or directory";

    @Test
    void missingLibrary_dlopenMessage_namesTheLibrary() {
        assertThat(CudaFailure.missingLibrary(ORT_MESSAGE)).contains("libcublasLt.so.12");
        assertThat(CudaFailure.missingLibrary("libcudnn.so.9: cannot open shared object file"))
                .contains("libcudnn.so.9");
        assertThat(CudaFailure.missingLibrary("CUDA failure 100: no CUDA-capable device is detected"))
                .isEmpty();
    }

    @Test
    void describe_missingLibrary_namesLibraryFixAndOrtWords() {
        String message = CudaFailure.describe(new RuntimeException(ORT_MESSAGE));

        assertThat(message)
                .startsWith("the CUDA execution provider cannot be loaded: libcublasLt.so.12 is missing")
                .contains("install CUDA 12 and cuDNN 9", "LD_LIBRARY_PATH", "set the provider to auto or cpu")
                .endsWith(ORT_MESSAGE);
    }

    @Test
    void describe_cpuOnlyBuild_saysWhichArtifact() {
        String message = CudaFailure.describe(
                new RuntimeException("Error code - ORT_EP_FAIL - message: Failed to find" + " CUDA shared provider"));

        assertThat(message).contains("no CUDA provider", "onnxruntime_gpu");
    }
}
