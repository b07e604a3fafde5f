package io.parallelix.node.crypto;

import java.util.Locale;

/**
 * Which JCA provider performs RSA and SHA-256. {@code ACCP} (Amazon Corretto Crypto Provider, on
 * AWS-LC) is the fastest measured here (RSA-3072 PS256 about 3.5x the JDK's SunRsaSign, 1.9x
 * Conscrypt/BoringSSL; docs/benchmarks.md): it is looked up by class name at run time (node-crypto
 * does not depend on it) and fails loudly when it cannot load. {@code AUTO}, the default, is ACCP
 * when it loads and passes its self-check, else the JDK with a warning; the provider in use is
 * reported, never "auto".
 *
 * <p>Choosing {@code ACCP} never installs it as a global provider: only the objects built for it
 * ({@link ResultSigner}, {@link EnvelopeVerifier}, {@link CryptoSelfTest}) use it, and their
 * constructors throw {@link IllegalStateException} when it is not on the class path or unhealthy.
 */
public enum CryptoProvider {
    JDK,
    ACCP,
    AUTO;

    /** Config value: "jdk", "accp" or "auto" (case-insensitive); anything else is an IllegalArgumentException. */
    public static CryptoProvider fromConfig(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "jdk" -> JDK;
            case "accp" -> ACCP;
            case "auto" -> AUTO;
            default ->
                throw new IllegalArgumentException("crypto_provider must be \"auto\", \"jdk\" or \"accp\", not \""
                        + Printable.truncate(value) + "\"");
        };
    }

    /** The config spelling, the inverse of {@link #fromConfig}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
