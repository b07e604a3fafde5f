package io.parallelix.node.crypto;

import org.jspecify.annotations.Nullable;

/**
 * PoE v1 concatenates request_id and result with no boundary, so ids must be of one fixed, closed
 * alphabet: 1-128 characters from [A-Za-z0-9._:-] (see docs/protocol.md, "Request ids"). The
 * alphabet keeps ids ASCII (UTF-8 bytes = characters, no normalisation, nothing to escape); it does
 * not by itself remove the boundary ambiguity: that is what coordinator-allocated ids of one fixed
 * format do.
 */
public final class RequestIds {
    public static final int MAX_LENGTH = 128;

    private RequestIds() {}

    public static boolean isValid(String requestId) {
        return problem(requestId) == null;
    }

    /** Returns the id, or throws IllegalArgumentException with a message naming the rule broken. */
    public static String requireValid(String requestId) {
        String problem = problem(requestId);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return requestId;
    }

    /** The first rule broken, or null for a valid id. */
    static @Nullable String problem(String requestId) {
        if (requestId.isEmpty()) {
            return "request_id is empty; it must be 1-" + MAX_LENGTH + " characters from [A-Za-z0-9._:-]";
        }
        if (requestId.length() > MAX_LENGTH) {
            return "request_id is " + requestId.length() + " characters long; at most " + MAX_LENGTH + " are allowed";
        }
        for (int i = 0; i < requestId.length(); i++) {
            char c = requestId.charAt(i);
            if (!allowed(c)) {
                return "request_id has character " + Printable.describe(c) + " at index " + i
                        + "; only [A-Za-z0-9._:-] are allowed";
            }
        }
        return null;
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '.'
                || c == '_'
                || c == ':'
                || c == '-';
    }
}
