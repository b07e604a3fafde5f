package io.parallelix.node.crypto;

import io.parallelix.node.crypto.KeyException.Reason;
import java.io.IOException;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;
import javax.security.auth.DestroyFailedException;

/**
 * PKCS#8 private keys, plain and encrypted. Encryption is PBES2 with PBKDF2-HMAC-SHA256 and
 * AES-256-CBC (what {@code openssl pkcs8 -topk8 -v2 aes-256-cbc -v2prf hmacWithSHA256} makes), so
 * the files are readable by {@code openssl pkey}.
 */
final class Pkcs8 {
    static final int ITERATIONS = 600_000;

    /** Refuse to spend minutes deriving a key from a hostile or corrupt file. */
    static final int MAX_ITERATIONS = 10_000_000;

    /** The JDK's name for PBES2 + PBKDF2-HMAC-SHA256 + AES-256-CBC. */
    static final String PBES2_SCHEME = "PBEWithHmacSHA256AndAES_256";

    private static final String REENCRYPT =
            "re-encrypt it with: openssl pkcs8 -topk8 -v2 aes-256-cbc" + " -v2prf hmacWithSHA256 -in OLD -out NEW";

    private Pkcs8() {}

    /** An RSA private key from a plain PrivateKeyInfo; rsaEncryption only. */
    static RSAPrivateCrtKey parse(byte[] pkcs8) throws KeyException {
        byte[] oid;
        try {
            oid = Der.privateKeyAlgorithm(pkcs8);
        } catch (InvalidKeySpecException e) {
            throw new KeyException(Reason.MALFORMED, "not a PKCS#8 PrivateKeyInfo (" + e.getMessage() + ")");
        }
        if (Arrays.equals(oid, Der.RSASSA_PSS)) {
            throw new KeyException(
                    Reason.UNSUPPORTED,
                    "RSASSA-PSS keys (OID 1.2.840.113549.1.1.10) are not supported: the node_id is defined"
                            + " over a plain rsaEncryption key (make one with: openssl genpkey -algorithm RSA)");
        }
        if (!Arrays.equals(oid, Der.RSA_ENCRYPTION)) {
            throw new KeyException(Reason.UNSUPPORTED, "not an RSA private key; pxnode keys are RSA");
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (InvalidKeySpecException e) {
            throw new KeyException(Reason.MALFORMED, "the RSA private key inside is corrupt");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has RSA", e);
        }
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw new KeyException(Reason.UNSUPPORTED, "the RSA private key lacks its CRT parameters");
        }
        return crt;
    }

    /** Decrypts an EncryptedPrivateKeyInfo to the PrivateKeyInfo inside; the caller zeroes the result. */
    static byte[] decrypt(byte[] encryptedInfo, char[] passphrase) throws KeyException {
        EncryptedPrivateKeyInfo info;
        AlgorithmParameters params;
        try {
            info = new EncryptedPrivateKeyInfo(encryptedInfo);
            params = info.getAlgParameters();
        } catch (IOException | RuntimeException e) {
            throw new KeyException(Reason.MALFORMED, "not a PKCS#8 EncryptedPrivateKeyInfo");
        }
        if (params == null) {
            throw new KeyException(Reason.UNSUPPORTED, "the key's encryption has no parameters; " + REENCRYPT);
        }
        // Older JDKs name PBES2 by its OID and keep the real scheme in the parameters.
        String scheme = info.getAlgName().equals("PBES2") || info.getAlgName().equals("1.2.840.113549.1.5.13")
                ? params.toString()
                : info.getAlgName();
        if (!scheme.startsWith("PBEWithHmacSHA")) {
            throw new KeyException(Reason.UNSUPPORTED, "key encryption " + scheme + " is not supported; " + REENCRYPT);
        }
        requireSaneIterations(params);
        SecretKey secret = deriveKey(scheme, passphrase);
        byte[] pkcs8;
        try {
            Cipher cipher = Cipher.getInstance(scheme);
            cipher.init(Cipher.DECRYPT_MODE, secret, params);
            pkcs8 = cipher.doFinal(info.getEncryptedData());
        } catch (BadPaddingException e) {
            throw new KeyException(Reason.WRONG_PASSPHRASE, "wrong passphrase");
        } catch (GeneralSecurityException e) {
            throw new KeyException(Reason.UNSUPPORTED, "key encryption " + scheme + " is not supported; " + REENCRYPT);
        } finally {
            destroy(secret);
        }
        try {
            Der.privateKeyAlgorithm(pkcs8);
        } catch (InvalidKeySpecException e) {
            // CBC padding is right by chance about once in 256 wrong passphrases; the DER inside is not.
            Arrays.fill(pkcs8, (byte) 0);
            throw new KeyException(Reason.WRONG_PASSPHRASE, "wrong passphrase");
        }
        return pkcs8;
    }

    /** PBES2 (PBKDF2-HMAC-SHA256, random 16-byte salt, AES-256-CBC, random IV). */
    static byte[] encrypt(byte[] pkcs8, char[] passphrase, SecureRandom random, int iterations) throws KeyException {
        byte[] salt = new byte[16];
        byte[] iv = new byte[16];
        random.nextBytes(salt);
        random.nextBytes(iv);
        SecretKey secret = deriveKey(PBES2_SCHEME, passphrase);
        try {
            Cipher cipher = Cipher.getInstance(PBES2_SCHEME);
            cipher.init(
                    Cipher.ENCRYPT_MODE,
                    secret,
                    new PBEParameterSpec(salt, iterations, new IvParameterSpec(iv)),
                    random);
            byte[] encrypted = cipher.doFinal(pkcs8);
            // The JDK quirk: EncryptedPrivateKeyInfo cannot map the cipher's parameters (named
            // "PBEWithHmacSHA256AndAES_256") to an OID; re-read as "PBES2" they encode with the PBES2 OID.
            AlgorithmParameters pbes2 = AlgorithmParameters.getInstance("PBES2");
            pbes2.init(cipher.getParameters().getEncoded());
            return new EncryptedPrivateKeyInfo(pbes2, encrypted).getEncoded();
        } catch (GeneralSecurityException | IOException e) {
            throw new KeyException(Reason.UNSUPPORTED, "this JDK cannot encrypt keys with PBES2: " + e, e);
        } finally {
            destroy(secret);
        }
    }

    private static SecretKey deriveKey(String scheme, char[] passphrase) throws KeyException {
        PBEKeySpec spec = new PBEKeySpec(passphrase);
        try {
            return SecretKeyFactory.getInstance(scheme).generateSecret(spec);
        } catch (GeneralSecurityException e) {
            throw new KeyException(Reason.UNSUPPORTED, "key encryption " + scheme + " is not supported; " + REENCRYPT);
        } finally {
            spec.clearPassword();
        }
    }

    private static void requireSaneIterations(AlgorithmParameters params) throws KeyException {
        int iterations;
        try {
            iterations = params.getParameterSpec(PBEParameterSpec.class).getIterationCount();
        } catch (GeneralSecurityException e) {
            return; // the cipher will judge the parameters
        }
        if (iterations > MAX_ITERATIONS) {
            throw new KeyException(
                    Reason.UNSUPPORTED,
                    "the key is encrypted with " + iterations + " PBKDF2 iterations; at most " + MAX_ITERATIONS
                            + " are accepted; " + REENCRYPT);
        }
    }

    private static void destroy(SecretKey secret) {
        try {
            secret.destroy();
        } catch (DestroyFailedException e) {
            // Not every JDK key class can be destroyed; it becomes garbage either way.
        }
    }
}
