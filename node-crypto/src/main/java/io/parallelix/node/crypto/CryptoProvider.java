package io.parallelix.node.crypto;

/**
 * Which JCA provider performs RSA and SHA-256. {@code JDK} is the default; {@code ACCP} (Amazon
 * Corretto Crypto Provider) is several times faster at RSA signing, is looked up by class name at
 * run time (node-crypto does not depend on it) and fails loudly when it cannot load.
 */
public enum CryptoProvider {
    JDK,
    ACCP;

    /** Config value: "jdk" or "accp". */
    public static CryptoProvider fromConfig(String value) {
        throw new UnsupportedOperationException("stub");
    }
}
