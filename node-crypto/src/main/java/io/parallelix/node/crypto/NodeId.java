package io.parallelix.node.crypto;

import java.security.PublicKey;

/**
 * A node's identity: SHA-256 of the DER SubjectPublicKeyInfo of its RSA public key. Derived from
 * the key, never configured. Raw 32 bytes inside the PoE commitment, lowercase hex on the wire.
 */
public final class NodeId {
    public static NodeId of(PublicKey publicKey) {
        throw new UnsupportedOperationException("stub");
    }

    /** Parses 64 lowercase or uppercase hex digits; anything else is an IllegalArgumentException. */
    public static NodeId fromHex(String hex) {
        throw new UnsupportedOperationException("stub");
    }

    /** A copy of the 32 raw bytes. */
    public byte[] bytes() {
        throw new UnsupportedOperationException("stub");
    }

    /** 64 lowercase hex digits. */
    public String hex() {
        throw new UnsupportedOperationException("stub");
    }
}
