package io.parallelix.node.crypto;

import io.parallelix.node.crypto.KeyException.Reason;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;

/**
 * A node's RSA key pair, validated on creation (RSA, at least 2048 bits, halves match). The private
 * half never leaves this package: no getter, never in {@link #toString()}.
 */
public final class NodeKey {
    public static final int DEFAULT_BITS = 3072;
    public static final int MIN_BITS = 2048;

    /** Generating beyond this takes minutes and buys nothing. */
    static final int MAX_BITS = 16384;

    private static final byte[] PAIR_CHECK = "pxnode key pair check".getBytes(StandardCharsets.US_ASCII);

    private final RSAPublicKey publicKey;
    private final RSAPrivateKey privateKey;
    private final NodeId nodeId;

    private NodeKey(RSAPublicKey publicKey, RSAPrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
        this.nodeId = NodeId.of(publicKey);
    }

    /**
     * Generates a key of exactly {@code bits} bits with public exponent 65537, set explicitly: the
     * JDK's own default size differs between versions.
     */
    public static NodeKey generate(int bits, SecureRandom random) throws KeyException {
        requireSize(bits);
        if (bits > MAX_BITS) {
            throw new KeyException(Reason.UNSUPPORTED, "RSA keys above " + MAX_BITS + " bits are not supported");
        }
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
            return of(generator.generateKeyPair());
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new KeyException(Reason.UNSUPPORTED, "cannot generate a " + bits + "-bit RSA key: " + e, e);
        }
    }

    /** Validates the pair: plain rsaEncryption keys, at least 2048 bits, halves that belong together. */
    public static NodeKey of(KeyPair pair) throws KeyException {
        PublicKey pub = pair.getPublic();
        PrivateKey priv = pair.getPrivate();
        if (!(pub instanceof RSAPublicKey rsaPublic) || !(priv instanceof RSAPrivateKey rsaPrivate)) {
            throw new KeyException(
                    Reason.UNSUPPORTED,
                    "only RSA keys are supported, not " + pub.getAlgorithm() + "/" + priv.getAlgorithm());
        }
        requirePlainRsa(rsaPublic, pub.getAlgorithm());
        requirePlainRsa(rsaPrivate, priv.getAlgorithm());
        requireSize(rsaPublic.getModulus().bitLength());
        if (rsaPrivate instanceof RSAPrivateCrtKey crt) {
            requireConsistent(crt);
        }
        if (!rsaPublic.getModulus().equals(rsaPrivate.getModulus())
                || (rsaPrivate instanceof RSAPrivateCrtKey crt
                        && !crt.getPublicExponent().equals(rsaPublic.getPublicExponent()))) {
            throw new KeyException(Reason.MISMATCHED_HALVES, "the public and private keys are not one pair");
        }
        requireSignVerify(rsaPublic, rsaPrivate);
        return new NodeKey(rsaPublic, rsaPrivate);
    }

    public RSAPublicKey publicKey() {
        return publicKey;
    }

    public NodeId nodeId() {
        return nodeId;
    }

    public int bits() {
        return publicKey.getModulus().bitLength();
    }

    /** Package-private on purpose: only the signer and the key-file writer in this package see it. */
    RSAPrivateKey privateKey() {
        return privateKey;
    }

    @Override
    public String toString() {
        return "NodeKey[RSA-" + bits() + ", node_id=" + nodeId.hex() + "]";
    }

    static void requireSize(int bits) throws KeyException {
        if (bits < MIN_BITS) {
            throw new KeyException(
                    Reason.TOO_SMALL,
                    "RSA key of " + bits + " bits is too small; at least " + MIN_BITS + " bits are required" + " ("
                            + DEFAULT_BITS + " recommended)");
        }
    }

    /** RSASSA-PSS-restricted keys (OID 1.2.840.113549.1.1.10) encode differently: another node_id. */
    private static void requirePlainRsa(RSAKey key, String algorithm) throws KeyException {
        if (!"RSA".equals(algorithm) || key.getParams() != null) {
            throw new KeyException(
                    Reason.UNSUPPORTED,
                    "only plain rsaEncryption keys are supported, not " + algorithm
                            + " (generate one with: openssl genpkey -algorithm RSA)");
        }
    }

    /**
     * PKCS#1 consistency of the CRT form. JDK signing uses only p, q and the CRT values, so a wrong
     * d (a corrupt key file) would pass the signature check below, and be written back out as is.
     */
    private static void requireConsistent(RSAPrivateCrtKey k) throws KeyException {
        BigInteger p = k.getPrimeP();
        BigInteger q = k.getPrimeQ();
        BigInteger ed = k.getPublicExponent().multiply(k.getPrivateExponent());
        boolean consistent = p.compareTo(BigInteger.ONE) > 0
                && q.compareTo(BigInteger.ONE) > 0
                && p.multiply(q).equals(k.getModulus())
                && ed.mod(p.subtract(BigInteger.ONE)).equals(BigInteger.ONE)
                && ed.mod(q.subtract(BigInteger.ONE)).equals(BigInteger.ONE)
                && k.getPrivateExponent().mod(p.subtract(BigInteger.ONE)).equals(k.getPrimeExponentP())
                && k.getPrivateExponent().mod(q.subtract(BigInteger.ONE)).equals(k.getPrimeExponentQ())
                && k.getCrtCoefficient().multiply(q).mod(p).equals(BigInteger.ONE);
        if (!consistent) {
            throw new KeyException(
                    Reason.MALFORMED,
                    "the RSA private key is corrupt: its parameters do not agree (n = pq, e*d = 1 mod p-1 and q-1,"
                            + " CRT exponents and coefficient)");
        }
    }

    /** The modulus check cannot see a wrong private exponent; one signature can. */
    private static void requireSignVerify(RSAPublicKey pub, RSAPrivateKey priv) throws KeyException {
        boolean verified;
        try {
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(priv);
            signer.update(PAIR_CHECK);
            byte[] sig = signer.sign();
            Signature verifier = Signature.getInstance("SHA256withRSA");
            verifier.initVerify(pub);
            verifier.update(PAIR_CHECK);
            verified = verifier.verify(sig);
        } catch (GeneralSecurityException e) {
            throw new KeyException(
                    Reason.UNSUPPORTED,
                    "cannot sign with this RSA key: " + e.getClass().getName(),
                    e);
        }
        if (!verified) {
            throw new KeyException(Reason.MISMATCHED_HALVES, "the public and private keys are not one pair");
        }
    }
}
