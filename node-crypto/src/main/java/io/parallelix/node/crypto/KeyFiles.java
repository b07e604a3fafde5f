package io.parallelix.node.crypto;

import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes key files. Private keys: PKCS#8 PEM, optionally encrypted (PBES2,
 * PBKDF2-HMAC-SHA256, AES-256-CBC); reads also PKCS#1 "RSA PRIVATE KEY". Written with mode 0600 from
 * creation, never overwriting; refused on read when group or others can read them. Public keys:
 * SubjectPublicKeyInfo PEM.
 */
public final class KeyFiles {
    private KeyFiles() {}

    /** Creates {@code file} (mode 0600, refuses if it exists); encrypted when passphrase != null. */
    public static void writePrivateKey(Path file, NodeKey key, char @Nullable [] passphrase) throws KeyException {
        throw new UnsupportedOperationException("stub");
    }

    public static void writePublicKey(Path file, RSAPublicKey key) throws KeyException {
        throw new UnsupportedOperationException("stub");
    }

    /** passphrase may be null for an unencrypted key; an encrypted key then fails PASSPHRASE_REQUIRED. */
    public static NodeKey readPrivateKey(Path file, char @Nullable [] passphrase) throws KeyException {
        throw new UnsupportedOperationException("stub");
    }

    public static RSAPublicKey readPublicKey(Path file) throws KeyException {
        throw new UnsupportedOperationException("stub");
    }

    /** "-----BEGIN PUBLIC KEY-----" PEM text of the SubjectPublicKeyInfo, lines of 64, trailing newline. */
    public static String publicKeyPem(RSAPublicKey key) {
        throw new UnsupportedOperationException("stub");
    }

    public static RSAPublicKey parsePublicKeyPem(String pem) throws KeyException {
        throw new UnsupportedOperationException("stub");
    }
}
