package io.parallelix.node.crypto;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** What the node signs for one request; arrays are defensive copies. */
@SuppressWarnings("ArrayRecordComponent") // copied in and out; equals/hashCode compare contents
public record SignedResult(String requestId, NodeId nodeId, byte[] poe, byte[] sig, SigAlg sigAlg) {
    public SignedResult {
        poe = poe.clone();
        sig = sig.clone();
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
                && sigAlg == other.sigAlg;
    }

    @Override
    public int hashCode() {
        return Objects.hash(requestId, nodeId, Arrays.hashCode(poe), Arrays.hashCode(sig), sigAlg);
    }

    @Override
    public String toString() {
        return "SignedResult[request_id=" + requestId + ", node_id=" + nodeId + ", poe=" + poeHex() + ", sig="
                + sig.length + " bytes " + sigAlg.wireName() + "]";
    }
}
