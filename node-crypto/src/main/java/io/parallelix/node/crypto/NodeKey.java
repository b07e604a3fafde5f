package io.parallelix.node.crypto;

import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.RSAPublicKey;

/**
 * A node's RSA key pair, validated on creation (RSA, at least 2048 bits, halves match). The private
 * half never leaves this package: no getter, never in {@link #toString()}.
 */
public final class NodeKey {
    public static final int DEFAULT_BITS = 3072;
    public static final int MIN_BITS = 2048;

    public static NodeKey generate(int bits, SecureRandom random) throws KeyException {
        throw new UnsupportedOperationException("stub");
    }

    public static NodeKey of(KeyPair pair) throws KeyException {
        throw new UnsupportedOperationException("stub");
    }

    public RSAPublicKey publicKey() {
        throw new UnsupportedOperationException("stub");
    }

    public NodeId nodeId() {
        throw new UnsupportedOperationException("stub");
    }

    public int bits() {
        throw new UnsupportedOperationException("stub");
    }
}
