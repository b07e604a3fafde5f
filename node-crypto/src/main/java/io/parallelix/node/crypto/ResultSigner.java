package io.parallelix.node.crypto;

/**
 * The node side of PoE: computes poe, signs result || poe, verifies its own signature before
 * returning it (fault guard). Thread-safe; one {@code Signature} per call or per thread.
 */
public final class ResultSigner {
    public ResultSigner(NodeKey key, SigAlg sigAlg, CryptoProvider provider) throws KeyException {
        throw new UnsupportedOperationException("stub");
    }

    public SignedResult sign(String requestId, byte[] result) {
        throw new UnsupportedOperationException("stub");
    }

    /**
     * Registration proof: signs CHALLENGE_CONTEXT || nonce || node_id (domain-separated from
     * result signatures). The nonce is 16-1024 bytes.
     */
    public byte[] signChallenge(byte[] nonce) {
        throw new UnsupportedOperationException("stub");
    }

    public NodeId nodeId() {
        throw new UnsupportedOperationException("stub");
    }

    public SigAlg sigAlg() {
        throw new UnsupportedOperationException("stub");
    }

    /** e.g. "SunRsaSign" or "AmazonCorrettoCryptoProvider 2.5.0", for the runtime fingerprint. */
    public String providerDescription() {
        throw new UnsupportedOperationException("stub");
    }
}
