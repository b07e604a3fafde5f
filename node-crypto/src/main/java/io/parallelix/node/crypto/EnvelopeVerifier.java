package io.parallelix.node.crypto;

import java.security.interfaces.RSAPublicKey;

/**
 * The coordinator's side: checks node_id against the key, recomputes the PoE and compares it in
 * constant time, then verifies the signature. Stateless and thread-safe.
 */
public final class EnvelopeVerifier {
    public EnvelopeVerifier(CryptoProvider provider) {
        throw new UnsupportedOperationException("stub");
    }

    /** nodeIdHex, poe and sig are as received; sigAlg is the wire name. */
    public Verdict verify(
            String requestId,
            byte[] result,
            String nodeIdHex,
            byte[] poe,
            byte[] sig,
            String sigAlg,
            RSAPublicKey key) {
        throw new UnsupportedOperationException("stub");
    }

    public Verdict verifyChallenge(byte[] nonce, String nodeIdHex, byte[] sig, String sigAlg, RSAPublicKey key) {
        throw new UnsupportedOperationException("stub");
    }
}
