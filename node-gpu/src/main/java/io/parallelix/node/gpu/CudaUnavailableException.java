package io.parallelix.node.gpu;

/** The CUDA provider could not be registered; the message names the missing library and the fix. */
final class CudaUnavailableException extends Exception {
    CudaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
