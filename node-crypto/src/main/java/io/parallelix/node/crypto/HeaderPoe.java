package io.parallelix.node.crypto;

import io.parallelix.node.crypto.Verdict.Check;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The POE check's part of reading {@link SignedHeaders}: the version header and the poe's bytes. */
sealed interface HeaderPoe {
    @SuppressWarnings("ArrayRecordComponent") // a short-lived carrier, never compared
    record Read(PoeVersion version, byte[] poe) implements HeaderPoe {}

    record Refused(Verdict verdict) implements HeaderPoe {}

    static HeaderPoe read(Map<String, List<String>> headers) {
        SignedHeaders.Value version = SignedHeaders.one(headers, SignedHeaders.POE_VERSION);
        String problem = SignedHeaders.problem(version);
        if (problem != null) {
            return refuse(problem);
        }
        String v = SignedHeaders.value(version);
        PoeVersion known = PoeVersion.parse(v).orElse(null);
        if (known == null) {
            return refuse(SignedHeaders.POE_VERSION + " is \"" + Printable.truncate(v) + "\"; this verifier knows "
                    + PoeVersion.known());
        }
        SignedHeaders.Value poe = SignedHeaders.one(headers, SignedHeaders.POE);
        problem = SignedHeaders.problem(poe);
        if (problem != null) {
            return refuse(problem);
        }
        byte[] bytes = WireHex.parse(SignedHeaders.value(poe));
        return bytes == null ? refuse("header " + SignedHeaders.POE + " is not lowercase hex") : new Read(known, bytes);
    }

    private static HeaderPoe refuse(String detail) {
        return new Refused(Verdict.fail(Check.POE, detail));
    }

    /**
     * The bytes of standard base64 with its padding, or null. Java alone would also take it
     * without padding; Python's strict decoder would not: one form keeps the verifiers' verdicts
     * the same.
     */
    static byte @Nullable [] canonicalBase64(String text) {
        try {
            byte[] bytes = Base64.getDecoder().decode(text);
            return Base64.getEncoder().encodeToString(bytes).equals(text) ? bytes : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
