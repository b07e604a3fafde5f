package io.parallelix.node.daemon.verify;

import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.Task;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A decoded POST /v1/verify: this verify request's own id (bound into the verdict's PoE), the
 * model of this node to check with (names are per node; the digests must agree), what the
 * claimer served ({@link Kind}), the original request body as the client sent it, the claimed
 * answer as received, and the claiming node's public key.
 */
@SuppressWarnings("ArrayRecordComponent") // request bytes, never compared
public record VerifyRequest(
        String requestId, String model, Kind kind, byte[] request, Answer answer, RSAPublicKey claimerKey)
        implements Task {

    /** The endpoint the claimer answered, and the result formats its answers may have. */
    public enum Kind {
        INFER("/v2/models/{model}/infer"),
        EMBEDDINGS("/v1/embeddings"),
        COMPLETIONS("/v1/completions"),
        CHAT("/v1/chat/completions");

        private final String path;

        Kind(String path) {
            this.path = path;
        }

        public String path() {
            return path;
        }

        /** The kind a path names; null when the verifier does not know it. */
        static @Nullable Kind of(String path) {
            if (path.startsWith("/v2/models/") && path.endsWith("/infer")) {
                return INFER;
            }
            for (Kind k : values()) {
                if (k != INFER && k.path.equals(path)) {
                    return k;
                }
            }
            return null;
        }
    }

    /** The claimed answer in the form it came: an OIP envelope, a body with its PoE headers, a stream. */
    public sealed interface Answer {
        record InEnvelope(Envelope envelope) implements Answer {}

        @SuppressWarnings("ArrayRecordComponent")
        record Body(byte[] body, Map<String, List<String>> headers) implements Answer {}

        @SuppressWarnings("ArrayRecordComponent")
        record Stream(byte[] raw) implements Answer {}
    }

    /** A verify request pins nothing itself: the claimed answer's digest is checked against this node's. */
    @Override
    public @Nullable String modelSha256() {
        return null;
    }
}
