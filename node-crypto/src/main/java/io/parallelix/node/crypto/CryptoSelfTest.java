package io.parallelix.node.crypto;

import java.security.GeneralSecurityException;

/**
 * Known-answer tests run by {@code pxnode self-test}: SHA-256, a PoE v1 golden vector and an RS256
 * signature with the built-in test key must give fixed bytes; a PS256 signature must verify.
 */
public final class CryptoSelfTest {
    private CryptoSelfTest() {}

    /** Returns normally when every known answer matches; otherwise the message names the check. */
    public static void run(CryptoProvider provider) throws GeneralSecurityException {
        throw new UnsupportedOperationException("stub");
    }
}
