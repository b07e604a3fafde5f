package io.parallelix.node.crypto;

/**
 * PoE v1 concatenates request_id and result with no boundary, so ids must be of one fixed, closed
 * alphabet: 1-128 characters from [A-Za-z0-9._:-] (see docs/protocol.md).
 */
public final class RequestIds {
    public static final int MAX_LENGTH = 128;

    private RequestIds() {}

    public static boolean isValid(String requestId) {
        throw new UnsupportedOperationException("stub");
    }

    /** Returns the id, or throws IllegalArgumentException with a message naming the rule broken. */
    public static String requireValid(String requestId) {
        throw new UnsupportedOperationException("stub");
    }
}
