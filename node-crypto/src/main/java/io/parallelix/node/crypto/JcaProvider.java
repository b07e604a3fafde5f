package io.parallelix.node.crypto;

import java.lang.reflect.InvocationTargetException;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The resolved JCA providers behind a {@link CryptoProvider}: where signatures and SHA-256 come
 * from. JDK means SunRsaSign and SUN by name (so a globally installed provider can never take
 * over silently); ACCP means the ACCP instance for both, loaded by reflection and never installed.
 * AUTO resolves to one of the two, and {@code kind} is then the one in use.
 */
record JcaProvider(CryptoProvider kind, Provider signatures, Provider digests) {
    private static final Logger log = LoggerFactory.getLogger(JcaProvider.class);
    static final String ACCP_CLASS = "com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider";

    /** PS256: SHA-256, MGF1 with SHA-256, 32-byte salt, trailer field 1 (RFC 8017, RFC 7518). */
    static final PSSParameterSpec PS256_PARAMS =
            new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC);

    /** Throws IllegalStateException when the provider cannot be used, with the fix in the message. */
    static JcaProvider resolve(CryptoProvider kind) {
        return resolve(kind, ACCP_CLASS);
    }

    /** The class name is a parameter only so that tests can make ACCP unavailable. */
    static JcaProvider resolve(CryptoProvider kind, String accpClass) {
        return switch (kind) {
            case AUTO -> {
                try {
                    yield resolve(CryptoProvider.ACCP, accpClass);
                } catch (IllegalStateException e) {
                    log.warn(
                            "crypto_provider auto: ACCP is unavailable ({}); signing with the JDK's SunRsaSign,"
                                    + " about 3.5x slower per RSA signature",
                            e.getMessage());
                    yield resolve(CryptoProvider.JDK, accpClass);
                }
            }
            case JDK -> new JcaProvider(kind, required("SunRsaSign"), required("SUN"));
            case ACCP -> {
                Provider accp = loadAccp(accpClass);
                yield new JcaProvider(kind, accp, accp);
            }
        };
    }

    /** e.g. "SunRsaSign" or "AmazonCorrettoCryptoProvider 2.5.0". */
    String description() {
        return kind == CryptoProvider.ACCP
                ? signatures.getName() + " " + signatures.getVersionStr()
                : signatures.getName();
    }

    /**
     * Whether the provider itself checks each private-key result before returning it, so a fault
     * in the RSA-CRT computation cannot leave it (Boneh, DeMillo, Lipton 1997). ACCP signs in
     * AWS-LC, whose rsa_default_private_transform raises every result to e and compares it with the
     * input in constant time, on every signature; SunRsaSign gives no such promise.
     */
    boolean checksItsOwnSignatures() {
        return kind == CryptoProvider.ACCP;
    }

    MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256", digests);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(digests.getName() + " has no SHA-256", e);
        }
    }

    /** A fresh Signature for the scheme; PSS parameters are always set explicitly. */
    Signature signature(SigAlg alg) throws GeneralSecurityException {
        return switch (alg) {
            case PS256 -> {
                Signature s = Signature.getInstance("RSASSA-PSS", signatures);
                s.setParameter(PS256_PARAMS);
                yield s;
            }
            case RS256 -> Signature.getInstance("SHA256withRSA", signatures);
        };
    }

    /**
     * The key as the signature provider's own key class, converted once. ACCP otherwise converts a
     * JDK key into a native one on every initSign, which CryptoBenchmark measured at more than half
     * the cost of an RSA-3072 signature; for the JDK this is the same object.
     */
    <K extends Key> K translate(K key, Class<K> type) throws InvalidKeyException {
        KeyFactory factory;
        try {
            factory = KeyFactory.getInstance(key.getAlgorithm(), signatures);
        } catch (NoSuchAlgorithmException e) {
            return key; // a provider without its own RSA keys signs with the key as given
        }
        return type.cast(factory.translateKey(key));
    }

    private static Provider required(String name) {
        Provider p = Security.getProvider(name);
        if (p == null) {
            throw new IllegalStateException("the JDK's " + name + " provider is not installed in this JVM");
        }
        return p;
    }

    /** The class name is a parameter only so that tests can make loading fail. */
    static Provider loadAccp(String className) {
        String fix = "; put AmazonCorrettoCryptoProvider (linux-x86_64) on the class path or set crypto_provider: jdk";
        Object instance;
        try {
            Class<?> c = Class.forName(className);
            instance = c.getField("INSTANCE").get(null);
            c.getMethod("assertHealthy").invoke(instance);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("crypto_provider accp: ACCP is not on the class path" + fix, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(
                    "crypto_provider accp: ACCP could not load (" + e.getCause() + ")" + fix, e.getCause());
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            throw new IllegalStateException("crypto_provider accp: ACCP could not load (" + e + ")" + fix, e);
        }
        if (!(instance instanceof Provider provider)) {
            throw new IllegalStateException(
                    "crypto_provider accp: " + ACCP_CLASS + ".INSTANCE is not a Provider" + fix);
        }
        return provider;
    }
}
