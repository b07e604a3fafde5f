package io.parallelix.node.daemon.protocol;

import io.parallelix.node.gpu.RuntimeFingerprint;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The runtime fingerprint as it is signed inside every result (docs/verification.md, "Runtime
 * fingerprint in the signed result"): the model's engine fingerprint and how the node signs. One
 * per served model, fixed for the process, so the same request still gives the same bytes.
 *
 * <p>Two spellings of the same eleven facts: safetensors {@code __metadata__} entries
 * ({@code pxnode.ort_version}, strings only, an unknown part absent) and a JSON object for the
 * OpenAI bodies' {@code pxnode.runtime} (keys sorted, no whitespace, ASCII, null for unknown,
 * {@code deterministic} a boolean, {@code intra_op_threads} an integer).
 */
public record ResultRuntime(RuntimeFingerprint engine, String cryptoProvider, String sigAlg) {
    /** The prefix of every safetensors metadata key this adds. */
    public static final String METADATA_PREFIX = "pxnode.";

    /** How a node signs: not part of how a result was computed, so a verifier's comparison ignores them. */
    private static final java.util.Set<String> SIGNING = java.util.Set.of("crypto_provider", "sig_alg");

    /**
     * The metadata entries that say how a result was computed: every fact but the signing ones,
     * from a result's metadata (or {@link #metadata()}); two results computed alike have equal maps.
     */
    public static Map<String, String> computed(Map<String, String> metadata) {
        Map<String, String> out = new TreeMap<>();
        metadata.forEach((key, value) -> {
            String name = key.startsWith(METADATA_PREFIX) ? key.substring(METADATA_PREFIX.length()) : "";
            if (NAMES.contains(name) && !SIGNING.contains(name)) {
                out.put(key, value);
            }
        });
        return out;
    }

    /** Every fact's name: what {@link #facts} holds, whatever its values. */
    static final java.util.Set<String> NAMES = java.util.Set.of(
            "compute_capability",
            "crypto_provider",
            "cuda_version",
            "cudnn_version",
            "deterministic",
            "device",
            "driver_version",
            "intra_op_threads",
            "ort_version",
            "provider",
            "sig_alg");

    /** The facts by name, sorted (code point order: the names are lowercase ASCII). */
    private Map<String, @Nullable Object> facts() {
        Map<String, @Nullable Object> f = new TreeMap<>();
        f.put("compute_capability", engine.computeCapability());
        f.put("crypto_provider", cryptoProvider);
        f.put("cuda_version", engine.cudaVersion());
        f.put("cudnn_version", engine.cudnnVersion());
        f.put("deterministic", engine.deterministic());
        f.put("device", engine.device());
        f.put("driver_version", engine.driverVersion());
        f.put("intra_op_threads", engine.intraOpThreads());
        f.put("ort_version", engine.ortVersion());
        f.put("provider", engine.provider());
        f.put("sig_alg", sigAlg);
        return f;
    }

    /** safetensors {@code __metadata__} entries: {@code pxnode.<name>} to the value's text; nulls left out. */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        facts().forEach((name, value) -> {
            if (value != null) {
                m.put(METADATA_PREFIX + name, value.toString());
            }
        });
        return m;
    }

    /** The JSON object, e.g. {@code {"compute_capability":null,...,"sig_alg":"PS256"}}. */
    public String json() {
        StringBuilder sb = new StringBuilder(320).append('{');
        facts().forEach((name, value) -> {
            ascii(sb.append(sb.length() > 1 ? "," : ""), name).append(':');
            if (value instanceof String s) {
                ascii(sb, s);
            } else {
                sb.append(value); // null, a boolean or an int
            }
        });
        return sb.append('}').toString();
    }

    /** A JSON string in ASCII: quote, backslash, control and non-ASCII characters escaped. */
    private static StringBuilder ascii(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"');
    }
}
