package io.parallelix.node.crypto;

import org.jspecify.annotations.Nullable;

/** The outcome of verifying an envelope: valid, or the first check that failed and why. */
public record Verdict(@Nullable Check failed, String detail) {
    /** The checks, in the order the verifier runs them. */
    public enum Check {
        /** A streamed answer's framing: one well-formed trailer, then the stream's end (SignedStream). */
        STREAM,
        REQUEST_ID,
        SIG_ALG,
        NODE_ID,
        POE,
        SIGNATURE
    }

    public static Verdict ok() {
        return new Verdict(null, "valid");
    }

    public static Verdict fail(Check check, String detail) {
        return new Verdict(check, detail);
    }

    public boolean valid() {
        return failed == null;
    }
}
