package io.parallelix.node.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What the node signs for one request, and with which PoE layout; arrays are defensive copies. */
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equals/hashCode compare contents
public record SignedResult(
        String requestId, NodeId nodeId, byte[] poe, byte[] sig, SigAlg sigAlg, PoeVersion poeVersion) {
    public SignedResult {
        poe = poe.clone();
        sig = sig.clone();
    }

    /** A v1 commitment. */
    public SignedResult(String requestId, NodeId nodeId, byte[] poe, byte[] sig, SigAlg sigAlg) {
        this(requestId, nodeId, poe, sig, sigAlg, PoeVersion.V1);
    }

    @Override
    public byte[] poe() {
        return poe.clone();
    }

    @Override
    public byte[] sig() {
        return sig.clone();
    }

    /** Lowercase hex, as poe travels on the wire. */
    public String poeHex() {
        return HexFormat.of().formatHex(poe);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof SignedResult other
                && requestId.equals(other.requestId)
                && nodeId.equals(other.nodeId)
                && Arrays.equals(poe, other.poe)
                && Arrays.equals(sig, other.sig)
                && sigAlg == other.sigAlg
                && poeVersion == other.poeVersion;
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, nodeId, Arrays.hashCode(poe), Arrays.hashCode(sig), sigAlg, poeVersion);
    }

    @Override
    public String toString() {
        return "SignedResult[request_id=" + requestId + ", node_id=" + nodeId + ", poe=v" + poeVersion.number() + " "
                + poeHex() + ", sig=" + sig.length + " bytes " + sigAlg.wireName() + "]";
    }
}
