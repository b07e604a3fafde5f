package io.parallelix.node.daemon.protocol;

import java.util.Arrays;
import java.util.Objects;

/**
 * The node's answer to an infer request: the result bytes, bound to request and node by poe and
 * sig. {@code meta} is not signed: it is for people and dashboards, never for verification.
 */
public record Envelope(
        String requestId,
        String nodeId,
        byte[] result,
        String resultFormat,
        String poe,
        byte[] sig,
        String sigAlg,
        int poeVersion,
        EnvelopeMeta meta) {

    public static final String RESULT_FORMAT = "safetensors";

    public Envelope {
        Objects.requireNonNull(requestId, "request_id");
        Objects.requireNonNull(nodeId, "node_id");
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(resultFormat, "result_format");
        Objects.requireNonNull(poe, "poe");
        Objects.requireNonNull(sig, "sig");
        Objects.requireNonNull(sigAlg, "sig_alg");
        Objects.requireNonNull(meta, "meta");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Envelope e
                && requestId.equals(e.requestId)
                && nodeId.equals(e.nodeId)
                && Arrays.equals(result, e.result)
                && resultFormat.equals(e.resultFormat)
                && poe.equals(e.poe)
                && Arrays.equals(sig, e.sig)
                && sigAlg.equals(e.sigAlg)
                && poeVersion == e.poeVersion
                && meta.equals(e.meta);
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, nodeId, Arrays.hashCode(result), poe, Arrays.hashCode(sig));
    }

    @Override
    public String toString() {
        return "Envelope[request_id=" + requestId + ", node_id=" + nodeId + ", result=" + result.length + " bytes, poe="
                + poe + ", sig_alg=" + sigAlg + "]";
    }

    /** pxnode verify's checks of this envelope under its own poe_version, with the node's key. */
    public io.parallelix.node.crypto.Verdict verify(
            io.parallelix.node.crypto.EnvelopeVerifier verifier, java.security.interfaces.RSAPublicKey key) {
        return verifier.verifyHexPoe(requestId, result, nodeId, poeVersion, poe, sig, sigAlg, key);
    }
}
