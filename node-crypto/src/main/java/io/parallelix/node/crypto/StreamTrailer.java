package io.parallelix.node.crypto;

import io.parallelix.node.crypto.Presented.Field;
import io.parallelix.node.crypto.TrailerJson.Value;
import java.util.List;
import java.util.Map;

/**
 * The fields of a signed stream's trailer as received ({@link SignedStream}): text as written,
 * unchecked except for its JSON type. {@code poeVersion} is the integer's digits as written;
 * {@code meta} the raw JSON of the unsigned meta object.
 */
public record StreamTrailer(
        String requestId,
        String nodeId,
        String resultFormat,
        String poe,
        String sig,
        String sigAlg,
        String poeVersion,
        String meta) {

    /** The names, in the order the node writes them; exactly these, each once. */
    static final List<String> NAMES =
            List.of("request_id", "node_id", "result_format", "poe", "sig", "sig_alg", "poe_version", "meta");

    /** The trailer of a JSON object read by {@link TrailerJson}; IllegalArgumentException names what is off. */
    static StreamTrailer of(Map<String, Value> fields) {
        for (String name : fields.keySet()) {
            if (!NAMES.contains(name)) {
                throw new IllegalArgumentException("unknown field \"" + Printable.truncate(name) + "\"");
            }
        }
        return new StreamTrailer(
                text(fields, "request_id"),
                text(fields, "node_id"),
                text(fields, "result_format"),
                text(fields, "poe"),
                text(fields, "sig"),
                text(fields, "sig_alg"),
                field(fields, "poe_version", Value.Int.class, "an integer").digits(),
                field(fields, "meta", Value.Nested.class, "an object").raw());
    }

    private static String text(Map<String, Value> fields, String name) {
        return field(fields, name, Value.Text.class, "a string").value();
    }

    private static <T extends Value> T field(Map<String, Value> fields, String name, Class<T> type, String what) {
        Value v = fields.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no field \"" + name + "\"");
        }
        if (!type.isInstance(v)) {
            throw new IllegalArgumentException("field \"" + name + "\" must be " + what);
        }
        return type.cast(v);
    }

    /**
     * The signed fields by the trailer's rules, one form each as the node writes them: poe_version
     * 1 or 2 and poe 64 lowercase hex digits (the poe check), sig canonical base64 (the signature check).
     */
    Presented presented() {
        return new Presented(
                Presented.present(requestId),
                Presented.present(sigAlg),
                Presented.present(nodeId),
                version(),
                poeBytes(),
                sigBytes());
    }

    private Field<PoeVersion> version() {
        return PoeVersion.parse(poeVersion)
                .<Field<PoeVersion>>map(Presented::present)
                .orElseGet(() -> Presented.problem("poe_version is " + Printable.truncate(poeVersion)
                        + "; this verifier knows " + PoeVersion.known()));
    }

    private Field<byte[]> poeBytes() {
        byte[] bytes = poe.length() == 2 * ProofOfExecution.LENGTH ? WireHex.parse(poe) : null;
        if (bytes == null) {
            return Presented.problem("poe is not 64 lowercase hex digits (" + poe.length() + " characters: \""
                    + Printable.truncate(poe) + "\")");
        }
        return Presented.present(bytes);
    }

    private Field<byte[]> sigBytes() {
        byte[] bytes = HeaderPoe.canonicalBase64(sig);
        return bytes != null
                ? Presented.present(bytes)
                : Presented.problem("sig is not canonical base64 (standard alphabet, with padding)");
    }
}
