package io.parallelix.node.crypto;

import io.parallelix.node.crypto.KeyException.Reason;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Reads and writes key files. Private keys: PKCS#8 PEM, optionally encrypted (PBES2,
 * PBKDF2-HMAC-SHA256, AES-256-CBC); reads also PKCS#1 "RSA PRIVATE KEY". Written with mode 0600 from
 * creation, never overwriting; refused on read when group or others can read them or another user
 * could replace them (SecretFileRules). Public keys: SubjectPublicKeyInfo PEM.
 *
 * <p>Messages name the file and the fix, never key bytes or passphrases. Passphrase arrays belong
 * to the caller (not cleared here); every copy of key material made here is zeroed after use where
 * the JDK lets us.
 */
public final class KeyFiles {
    private KeyFiles() {}

    /**
     * Creates {@code file} (mode 0600, refuses if it exists); encrypted when passphrase != null.
     * Refuses a directory that readPrivateKey would refuse, so that no key is made that cannot load.
     */
    public static void writePrivateKey(Path file, NodeKey key, char @Nullable [] passphrase) throws KeyException {
        writePrivateKey(file, key, passphrase, new SecureRandom(), Pkcs8.ITERATIONS);
    }

    /** With the random source and PBKDF2 iteration count steerable (tests). */
    static void writePrivateKey(
            Path file, NodeKey key, char @Nullable [] passphrase, SecureRandom random, int iterations)
            throws KeyException {
        if (passphrase != null && passphrase.length == 0) {
            throw new KeyException(Reason.UNSUPPORTED, "empty passphrase; pass none for an unencrypted key");
        }
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null && Files.isDirectory(dir)) { // a missing one: create() says NOT_FOUND
            SecretFileRules.requireSafeDirectories(SecretFileRules.realPath(dir), file, TrustedOwners.ofThisProcess());
        }
        byte[] pkcs8 = key.privateKey().getEncoded();
        if (pkcs8 == null) {
            throw new KeyException(Reason.UNSUPPORTED, "this private key cannot be exported");
        }
        byte[] der = null;
        byte[] pem = null;
        try {
            der = passphrase == null ? pkcs8 : Pkcs8.encrypt(pkcs8, passphrase, random, iterations);
            pem = Pem.encode(passphrase == null ? "PRIVATE KEY" : "ENCRYPTED PRIVATE KEY", der);
            SecureFiles.create(file, pem, SecureFiles.PRIVATE_MODE);
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
            zero(der);
            zero(pem);
        }
    }

    /** Creates {@code file} (mode 0644, refuses if it exists). */
    public static void writePublicKey(Path file, RSAPublicKey key) throws KeyException {
        SecureFiles.create(file, publicKeyPem(key).getBytes(StandardCharsets.US_ASCII), SecureFiles.PUBLIC_MODE);
    }

    /**
     * passphrase may be null for an unencrypted key; an encrypted key then fails PASSPHRASE_REQUIRED.
     * Refused (INSECURE_PERMISSIONS, the message says the fix) when group or others can access the
     * file, when neither this process's user nor root owns it, or when a directory on its real path
     * is another user's or writable by group or others (not sticky).
     */
    public static NodeKey readPrivateKey(Path file, char @Nullable [] passphrase) throws KeyException {
        return readPrivateKey(file, passphrase, TrustedOwners.ofThisProcess());
    }

    static NodeKey readPrivateKey(Path file, char @Nullable [] passphrase, TrustedOwners owners) throws KeyException {
        byte[] text = SecureFiles.readPrivate(file, owners);
        try {
            return parsePrivateKey(text, passphrase);
        } catch (KeyException e) {
            throw new KeyException(e.reason(), "private key '" + file + "': " + e.getMessage(), e);
        } finally {
            Arrays.fill(text, (byte) 0);
        }
    }

    public static RSAPublicKey readPublicKey(Path file) throws KeyException {
        byte[] text = SecureFiles.read(file);
        try {
            return parsePublicKeyPem(new String(text, StandardCharsets.US_ASCII));
        } catch (KeyException e) {
            throw new KeyException(e.reason(), "public key '" + file + "': " + e.getMessage(), e);
        }
    }

    /** "-----BEGIN PUBLIC KEY-----" PEM text of the SubjectPublicKeyInfo, lines of 64, trailing newline. */
    public static String publicKeyPem(RSAPublicKey key) {
        return new String(Pem.encode("PUBLIC KEY", key.getEncoded()), StandardCharsets.US_ASCII);
    }

    /** Plain rsaEncryption SubjectPublicKeyInfo of at least 2048 bits. */
    public static RSAPublicKey parsePublicKeyPem(String pem) throws KeyException {
        Pem block = Pem.decode(pem.getBytes(StandardCharsets.UTF_8));
        if (block.label().equals("RSA PUBLIC KEY")) {
            throw new KeyException(
                    Reason.UNSUPPORTED,
                    "PKCS#1 \"RSA PUBLIC KEY\" PEM is not supported; convert it with:"
                            + " openssl rsa -RSAPublicKey_in -in OLD -pubout -out NEW");
        }
        if (!block.label().equals("PUBLIC KEY")) {
            throw new KeyException(
                    Reason.MALFORMED, "expected \"-----BEGIN PUBLIC KEY-----\", found \"" + block.label() + "\"");
        }
        byte[] oid;
        try {
            oid = Der.publicKeyAlgorithm(block.der());
        } catch (InvalidKeySpecException e) {
            throw new KeyException(Reason.MALFORMED, "not a SubjectPublicKeyInfo (" + e.getMessage() + ")");
        }
        if (!Arrays.equals(oid, Der.RSA_ENCRYPTION)) {
            throw new KeyException(Reason.UNSUPPORTED, "not a plain rsaEncryption public key");
        }
        PublicKey key;
        try {
            key = rsaKeyFactory().generatePublic(new X509EncodedKeySpec(block.der()));
        } catch (InvalidKeySpecException e) {
            throw new KeyException(Reason.MALFORMED, "the RSA public key is corrupt");
        }
        if (!(key instanceof RSAPublicKey rsa)) {
            throw new KeyException(Reason.UNSUPPORTED, "not an RSA public key");
        }
        NodeKey.requireSize(rsa.getModulus().bitLength());
        return rsa;
    }

    static NodeKey parsePrivateKey(byte[] text, char @Nullable [] passphrase) throws KeyException {
        Pem block = Pem.decode(text);
        byte[] pkcs8 = null;
        try {
            pkcs8 = switch (block.label()) {
                case "PRIVATE KEY" -> block.der();
                case "ENCRYPTED PRIVATE KEY" -> {
                    if (passphrase == null) {
                        throw new KeyException(
                                Reason.PASSPHRASE_REQUIRED, "the key is encrypted and no passphrase was given");
                    }
                    yield Pkcs8.decrypt(block.der(), passphrase);
                }
                case "RSA PRIVATE KEY" -> {
                    if (block.hasHeaders()) {
                        throw new KeyException(
                                Reason.UNSUPPORTED,
                                "encrypted traditional (PKCS#1, Proc-Type: 4,ENCRYPTED) keys are not supported;"
                                        + " convert it with: openssl pkcs8 -topk8 -v2 aes-256-cbc"
                                        + " -v2prf hmacWithSHA256 -in OLD -out NEW");
                    }
                    yield Der.wrapPkcs1(block.der());
                }
                default ->
                    throw new KeyException(
                            Reason.UNSUPPORTED,
                            "\"" + block.label() + "\" PEM is not an RSA private key in PKCS#8 or PKCS#1 form"
                                    + " (make one with: openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072)");
            };
            RSAPrivateCrtKey priv = Pkcs8.parse(pkcs8);
            return NodeKey.of(new KeyPair(publicHalf(priv), priv));
        } finally {
            zero(pkcs8);
            Arrays.fill(block.der(), (byte) 0);
        }
    }

    private static RSAPublicKey publicHalf(RSAPrivateCrtKey priv) throws KeyException {
        try {
            return (RSAPublicKey)
                    rsaKeyFactory().generatePublic(new RSAPublicKeySpec(priv.getModulus(), priv.getPublicExponent()));
        } catch (InvalidKeySpecException e) {
            throw new KeyException(Reason.MALFORMED, "the RSA private key has an invalid public half");
        }
    }

    private static KeyFactory rsaKeyFactory() {
        try {
            return KeyFactory.getInstance("RSA");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has RSA", e);
        }
    }

    private static void zero(byte @Nullable [] bytes) {
        if (bytes != null) {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
