package io.parallelix.node.gpu.text;

/**
 * A tokenizer library, {@code tokenizer.json} or {@code tokenizer_config.json} cannot be used. The
 * message names the file or field and the fix.
 */
public final class TokenizerException extends Exception {
    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
