package io.parallelix.node.crypto;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * Keys for tests, made once per JVM: RSA key generation is slow and the machine is shared. The
 * 2048-bit one is {@link SelfTestKey}, the 3072-bit one the TEST-ONLY key of the vectors; OTHER is
 * an unrelated node.
 */
final class TestKeys {
    private TestKeys() {}

    static NodeKey rsa2048() {
        return Holder.RSA_2048;
    }

    static NodeKey rsa3072() {
        return Holder.RSA_3072;
    }

    static NodeKey other2048() {
        return Holder.OTHER_2048;
    }

    static KeyPair rsa1024() {
        return Holder.RSA_1024;
    }

    private static final class Holder {
        static final NodeKey RSA_2048 = load();
        static final NodeKey RSA_3072 = TestVectors.load().key();
        static final NodeKey OTHER_2048 = generate();
        static final KeyPair RSA_1024 = generate1024();

        private static NodeKey load() {
            try {
                return SelfTestKey.load();
            } catch (KeyException e) {
                throw new IllegalStateException(e);
            }
        }

        private static NodeKey generate() {
            try {
                return NodeKey.generate(2048, new SecureRandom());
            } catch (KeyException e) {
                throw new IllegalStateException(e);
            }
        }

        private static KeyPair generate1024() {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
                g.initialize(1024);
                return g.generateKeyPair();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
