package io.parallelix.node.crypto;

/**
 * A key could not be created, read or written. The message is safe to show to an operator: it
 * never contains key material, and it says how to fix the problem where there is a fix.
 */
public final class KeyException extends Exception {
    public enum Reason {
        NOT_FOUND,
        ALREADY_EXISTS,
        INSECURE_PERMISSIONS,
        MALFORMED,
        WRONG_PASSPHRASE,
        PASSPHRASE_REQUIRED,
        UNSUPPORTED,
        TOO_SMALL,
        MISMATCHED_HALVES,
        IO
    }

    private final Reason reason;

    public KeyException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public KeyException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
