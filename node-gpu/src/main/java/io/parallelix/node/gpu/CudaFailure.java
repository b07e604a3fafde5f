package io.parallelix.node.gpu;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns ONNX Runtime's CUDA provider errors into a message naming the missing library and the fix. */
final class CudaFailure {
    // dlopen's wording: "libcublasLt.so.12: cannot open shared object file: No such file or directory"
    private static final Pattern MISSING =
            Pattern.compile("(lib[A-Za-z0-9_+\\-]+\\.so(?:\\.\\d+)*): cannot open shared object file");

    static final String FIX = "Fix: install CUDA 12 and cuDNN 9 and put their library directories on LD_LIBRARY_PATH"
            + " (e.g. /usr/local/cuda-12/lib64 and cuDNN's lib directory), or set the provider to auto or cpu.";

    private CudaFailure() {}

    static Optional<String> missingLibrary(String ortMessage) {
        Matcher m = MISSING.matcher(ortMessage);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** One paragraph: what failed, which library is missing (when ORT says), the fix, and ORT's words. */
    static String describe(Throwable failure) {
        String ort = OrtMessages.of(failure);
        if (ort.contains("Failed to find CUDA shared provider")) {
            return "this ONNX Runtime build has no CUDA provider (the CPU-only onnxruntime artifact). Fix: ship"
                    + " com.microsoft.onnxruntime:onnxruntime_gpu, or set the provider to cpu. ONNX Runtime said: "
                    + ort;
        }
        String what = missingLibrary(ort)
                .map(lib -> "the CUDA execution provider cannot be loaded: " + lib + " is missing"
                        + " (not found on LD_LIBRARY_PATH or in the ldconfig cache).")
                .orElse("the CUDA execution provider cannot be used.");
        return what + " " + FIX + " ONNX Runtime said: " + ort;
    }
}
