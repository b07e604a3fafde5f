package io.parallelix.node.gpu;

/**
 * The engine cannot start: a model is missing, corrupt or fails its pin, warm-up or canary, or
 * CUDA was required and cannot be used. The message names the model or library and the fix.
 */
public final class EngineException extends Exception {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}
