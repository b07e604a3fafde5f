package io.parallelix.node.crypto;

import java.util.Locale;

/**
 * Which JCA provider performs RSA and SHA-256. {@code JDK} is the default; {@code ACCP} (Amazon
 * Corretto Crypto Provider) is several times faster at RSA signing, is looked up by class name at
 * run time (node-crypto does not depend on it) and fails loudly when it cannot load.
 *
 * <p>Choosing {@code ACCP} never installs it as a global provider: only the objects built for it
 * ({@link ResultSigner}, {@link EnvelopeVerifier}, {@link CryptoSelfTest}) use it, and their
 * constructors throw {@link IllegalStateException} when it is not on the class path or unhealthy.
 */
public enum CryptoProvider {
    JDK,
    ACCP;

    /** Config value: "jdk" or "accp" (case-insensitive); anything else is an IllegalArgumentException. */
    public static CryptoProvider fromConfig(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "jdk" -> JDK;
            case "accp" -> ACCP;
            default ->
                throw new IllegalArgumentException(
                        "crypto_provider must be \"jdk\" or \"accp\", not \"" + Printable.truncate(value) + "\"");
        };
    }

    /** The config spelling, the inverse of {@link #fromConfig}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
