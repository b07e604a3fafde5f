package io.parallelix.node.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Known-answer tests run by {@code pxnode self-test}: SHA-256, a PoE v1 golden vector and an RS256
 * signature with the built-in test key must give fixed bytes; a PS256 signature must verify.
 *
 * <p>The expected values come from pyca/cryptography and hashlib (scripts/gen_self_test_kat.py),
 * not from this code, over {@link SelfTestKey} (TEST ONLY).
 */
public final class CryptoSelfTest {
    static final String REQUEST_ID = "pxnode-self-test";
    static final byte[] RESULT = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.US_ASCII);

    static final String SHA256_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    static final String NODE_ID = "0bc29ac17028c97dd3de13a328cd8b955a2c8de07aab6b1f24888c8023503fbb";
    static final String POE = "bc4be19e56f7ff3ca0178938a1ceb9e286c9360221dde899f001afba34aa3985";
    static final String RS256_SIG =
            "850fc26aa594558e97368121832cf34b26db082b3e66587ab20a4f817d501a12a785f95035a8f8c25540acda10fe75943c9ed1a7b575e543e9802223be2810b77302bc3168b360bfb01c7686ea92adb982c16f853b16db231d4c1d6ee6f36c9dbc3e20b4200cc99ee477f4c6a071d40edb6a37db76d84a7f8b16256ada6e724f129bd57466f1a3588d3c7d057732507fdd66ac3a7624abbe5e36e2790b591a3316d0897be801824f25c5b8a62c7303fb3b0d903d31e6c85aeb3d1f91f88a02f901078f576e4b3767a2a8623cf97f19256a6ccc7a5f6b35c59328b60576e21b7b7eeede79360048d5c939b7f32fa870ad65f77603114f37edb9acd929fe2b4978";
    static final String PS256_SIG =
            "5c9c791440b1c79072e70b17c63d6eef99adaa86650eb32785a51fb06d8682c7eaacb18c35a3e81b7f96b751f29679963ab83041c868c677e787ee3f6e64b8b86a382d14746bbaccf59f1b8045db3354190ffd595be99ba8a160689c50cd0a8e6203271a9d87af463748ad8baea9527d9dc9771ba12ae7b81e116ffab1349d40f1eb5596e01329715cd149240c9bac1c10f2acbc9717464b9a493b10c140085579137adcabfaa4b5eb9bd889e07c1d32ca18f26ab80113829b965eac9b6bcf3a3560057b0caef9a8e14e7148aa0b5524a7378255d35af3ccbb8e4d6db1cd519b2fcd3e0632e5e95223da77062a2ef7055c485567ccf578cb35817ff0ba502743";

    private static final HexFormat HEX = HexFormat.of();

    private CryptoSelfTest() {}

    /**
     * Returns the provider it tested (e.g. "AmazonCorrettoCryptoProvider 2.5.0": what "auto"
     * resolved to) when every known answer matches; otherwise the message names the check.
     */
    public static String run(CryptoProvider provider) throws GeneralSecurityException {
        JcaProvider jca;
        try {
            jca = JcaProvider.resolve(provider);
        } catch (IllegalStateException e) {
            throw new GeneralSecurityException("self-test: " + e.getMessage(), e);
        }
        run(jca);
        return jca.description();
    }

    static void run(JcaProvider jca) throws GeneralSecurityException {
        String where = " (" + jca.description() + ")";

        byte[] abc = jca.sha256().digest("abc".getBytes(StandardCharsets.US_ASCII));
        expect(MessageDigest.isEqual(abc, HEX.parseHex(SHA256_ABC)), "SHA-256(\"abc\") known answer" + where);

        NodeKey key;
        try {
            key = SelfTestKey.load();
        } catch (KeyException e) {
            throw new GeneralSecurityException("self-test failed: the built-in test key does not load: " + e, e);
        }
        expect(key.nodeId().hex().equals(NODE_ID), "node_id of the test key" + where);
        byte[] poe = ProofOfExecution.v1(jca.sha256(), REQUEST_ID, RESULT, key.nodeId());
        expect(MessageDigest.isEqual(poe, HEX.parseHex(POE)), "PoE v1 known answer" + where);

        try {
            SignedResult rs256 = new ResultSigner(key, SigAlg.RS256, jca).sign(REQUEST_ID, RESULT);
            expect(MessageDigest.isEqual(rs256.sig(), HEX.parseHex(RS256_SIG)), "RS256 known answer" + where);

            EnvelopeVerifier verifier = new EnvelopeVerifier(jca);
            byte[] known = HEX.parseHex(PS256_SIG);
            expect(verifyPs256(verifier, key, poe, known), "PS256 known signature verifies" + where);
            known[known.length / 2] ^= 0x01;
            expect(!verifyPs256(verifier, key, poe, known), "PS256 rejects a tampered signature" + where);
            SignedResult ps256 = new ResultSigner(key, SigAlg.PS256, jca).sign(REQUEST_ID, RESULT);
            expect(verifyPs256(verifier, key, ps256.poe(), ps256.sig()), "PS256 sign then verify" + where);
        } catch (KeyException | IllegalStateException e) {
            throw new GeneralSecurityException("self-test failed: signing with the test key" + where + ": " + e, e);
        }
    }

    private static boolean verifyPs256(EnvelopeVerifier verifier, NodeKey key, byte[] poe, byte[] sig) {
        return verifier.verify(REQUEST_ID, RESULT, NODE_ID, poe, sig, "PS256", key.publicKey())
                .valid();
    }

    private static void expect(boolean ok, String check) throws GeneralSecurityException {
        if (!ok) {
            throw new GeneralSecurityException("self-test failed: " + check);
        }
    }
}
