package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.crypto.Verdict.Check;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EnvelopeVerifierTest {
    private static final String ID = "req_a3f1";
    private static final byte[] RESULT = "{\"label\":\"cat\"}".getBytes(StandardCharsets.US_ASCII);

    private final NodeKey key = TestKeys.rsa2048();
    private final EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);

    /** A received envelope; each negative test changes one field. */
    @SuppressWarnings("ArrayRecordComponent") // test data holder
    private record Envelope(String id, byte[] result, String nodeId, byte[] poe, byte[] sig, String alg) {}

    private Envelope envelope(SigAlg alg) throws KeyException {
        SignedResult r = new ResultSigner(key, alg, CryptoProvider.JDK).sign(ID, RESULT);
        return new Envelope(ID, RESULT, r.nodeId().hex(), r.poe(), r.sig(), alg.wireName());
    }

    private Verdict verify(Envelope e) {
        return verify(e, key.publicKey());
    }

    private Verdict verify(Envelope e, RSAPublicKey publicKey) {
        return verifier.verify(e.id(), e.result(), e.nodeId(), e.poe(), e.sig(), e.alg(), publicKey);
    }

    private static void assertFails(Verdict v, @Nullable Check check) {
        assertThat(v.failed()).as("verdict %s", v).isEqualTo(check);
        assertThat(v.valid()).isEqualTo(check == null);
    }

    @ParameterizedTest
    @EnumSource(SigAlg.class)
    void verify_untouchedEnvelope_isValidWithBothProviders(SigAlg alg) throws Exception {
        Envelope e = envelope(alg);
        assertThat(verify(e)).isEqualTo(Verdict.ok());
        EnvelopeVerifier accp = new EnvelopeVerifier(CryptoProvider.ACCP);
        assertThat(accp.verify(e.id(), e.result(), e.nodeId(), e.poe(), e.sig(), e.alg(), key.publicKey())
                        .valid())
                .isTrue();
    }

    @ParameterizedTest
    @EnumSource(SigAlg.class)
    void verify_flippedBitInResult_failsPoe(SigAlg alg) throws Exception {
        Envelope e = envelope(alg);
        assertFails(verify(new Envelope(e.id(), flip(e.result()), e.nodeId(), e.poe(), e.sig(), e.alg())), Check.POE);
    }

    @ParameterizedTest
    @EnumSource(SigAlg.class)
    void verify_flippedBitInPoe_failsPoe(SigAlg alg) throws Exception {
        Envelope e = envelope(alg);
        assertFails(verify(new Envelope(e.id(), e.result(), e.nodeId(), flip(e.poe()), e.sig(), e.alg())), Check.POE);
    }

    @ParameterizedTest
    @EnumSource(SigAlg.class)
    void verify_flippedBitInSig_failsSignature(SigAlg alg) throws Exception {
        Envelope e = envelope(alg);
        assertFails(
                verify(new Envelope(e.id(), e.result(), e.nodeId(), e.poe(), flip(e.sig()), e.alg())), Check.SIGNATURE);
    }

    @Test
    void verify_flippedBitInNodeId_failsNodeId() throws Exception {
        Envelope e = envelope(SigAlg.PS256);
        String flipped = HexFormat.of().formatHex(flip(HexFormat.of().parseHex(e.nodeId())));
        Verdict v = verify(new Envelope(e.id(), e.result(), flipped, e.poe(), e.sig(), e.alg()));
        assertFails(v, Check.NODE_ID);
        assertThat(v.detail()).contains("is not SHA-256 of this public key");
    }

    @Test
    void verify_changedRequestId_failsPoe() throws Exception {
        Envelope e = envelope(SigAlg.PS256);
        assertFails(verify(new Envelope("req_a3f0", e.result(), e.nodeId(), e.poe(), e.sig(), e.alg())), Check.POE);
    }

    @Test
    void verify_invalidRequestId_failsRequestIdNamingTheRule() throws Exception {
        Envelope e = envelope(SigAlg.PS256);
        Verdict v = verify(new Envelope("req a3f1", e.result(), e.nodeId(), e.poe(), e.sig(), e.alg()));
        assertFails(v, Check.REQUEST_ID);
        assertThat(v.detail()).contains("index 3");
        assertFails(verify(new Envelope("", e.result(), e.nodeId(), e.poe(), e.sig(), e.alg())), Check.REQUEST_ID);
    }

    @Test
    void verify_unknownSigAlg_failsSigAlg() throws Exception {
        Envelope e = envelope(SigAlg.PS256);
        for (String alg : new String[] {"ps256", "RS512", "", "none", "PS256\u0000"}) {
            assertFails(verify(new Envelope(e.id(), e.result(), e.nodeId(), e.poe(), e.sig(), alg)), Check.SIG_ALG);
        }
    }

    @Test
    void verify_poeFromAnotherNode_failsPoe() throws Exception {
        Envelope e = envelope(SigAlg.RS256);
        byte[] otherPoe = ProofOfExecution.v1(ID, RESULT, TestKeys.other2048().nodeId());
        assertFails(verify(new Envelope(e.id(), e.result(), e.nodeId(), otherPoe, e.sig(), e.alg())), Check.POE);
    }

    @Test
    void verify_uppercaseNodeId_failsNodeId_thoughItIsTheSameBytes() throws Exception {
        Envelope e = envelope(SigAlg.PS256);
        Envelope upper = new Envelope(
                e.id(), e.result(), e.nodeId().toUpperCase(java.util.Locale.ROOT), e.poe(), e.sig(), e.alg());
        Verdict v = verify(upper);
        assertFails(v, Check.NODE_ID);
        assertThat(v.detail()).contains("64 lowercase hex digits");
    }

    @Test
    void verify_envelopeOfAnotherNodeAgainstOurKey_failsNodeId() throws Exception {
        SignedResult other = new ResultSigner(TestKeys.other2048(), SigAlg.PS256, CryptoProvider.JDK).sign(ID, RESULT);
        Envelope e = new Envelope(ID, RESULT, other.nodeId().hex(), other.poe(), other.sig(), "PS256");
        assertFails(verify(e), Check.NODE_ID);
        assertThat(verify(e, TestKeys.other2048().publicKey()).valid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(SigAlg.class)
    void verify_signatureUnderAnotherKey_failsSignature(SigAlg alg) throws Exception {
        Envelope e = envelope(alg);
        // Another node signs our result || poe: node_id and poe still match our key.
        Signature s = JcaProvider.resolve(CryptoProvider.JDK).signature(alg);
        s.initSign(TestKeys.other2048().privateKey());
        s.update(e.result());
        s.update(e.poe());
        assertFails(verify(new Envelope(e.id(), e.result(), e.nodeId(), e.poe(), s.sign(), e.alg())), Check.SIGNATURE);
    }

    @Test
    void verify_pssSignaturePresentedAsRs256_failsSignature() throws Exception {
        Envelope e = envelope(SigAlg.PS256);
        assertFails(verify(new Envelope(e.id(), e.result(), e.nodeId(), e.poe(), e.sig(), "RS256")), Check.SIGNATURE);
    }

    @Test
    void verify_rs256SignaturePresentedAsPs256_failsSignature() throws Exception {
        Envelope e = envelope(SigAlg.RS256);
        assertFails(verify(new Envelope(e.id(), e.result(), e.nodeId(), e.poe(), e.sig(), "PS256")), Check.SIGNATURE);
    }

    @Test
    void verify_pssWithSalt20_failsSignature() throws Exception {
        Envelope e = envelope(SigAlg.PS256);
        Signature s = Signature.getInstance("RSASSA-PSS");
        s.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 20, 1));
        s.initSign(key.privateKey());
        s.update(e.result());
        s.update(e.poe());
        assertFails(verify(new Envelope(e.id(), e.result(), e.nodeId(), e.poe(), s.sign(), "PS256")), Check.SIGNATURE);
    }

    @Test
    void verify_boundaryResplit_poeMatchesButSignatureFails() throws Exception {
        SignedResult a = new ResultSigner(key, SigAlg.RS256, CryptoProvider.JDK)
                .sign("req_a", "1234".getBytes(StandardCharsets.US_ASCII));
        byte[] resplit = "234".getBytes(StandardCharsets.US_ASCII);
        assertThat(ProofOfExecution.v1("req_a1", resplit, key.nodeId())).isEqualTo(a.poe());
        Verdict v = verify(new Envelope("req_a1", resplit, a.nodeId().hex(), a.poe(), a.sig(), "RS256"));
        assertFails(v, Check.SIGNATURE);
    }

    @Test
    void verify_wrongLengths_failWithoutThrowing() throws Exception {
        Envelope e = envelope(SigAlg.PS256);
        for (int n : new int[] {0, 31, 33, 64}) {
            assertFails(verify(new Envelope(e.id(), e.result(), e.nodeId(), new byte[n], e.sig(), e.alg())), Check.POE);
        }
        for (int n : new int[] {0, 1, 255, 257, 512}) {
            Verdict v = verify(new Envelope(e.id(), e.result(), e.nodeId(), e.poe(), new byte[n], e.alg()));
            assertFails(v, Check.SIGNATURE);
        }
        assertFails(
                verify(new Envelope(e.id(), e.result(), e.nodeId(), e.poe(), new byte[256], e.alg())), Check.SIGNATURE);
    }

    @Test
    void verify_malformedNodeIdHex_failsNodeIdWithShortDetail() throws Exception {
        Envelope e = envelope(SigAlg.PS256);
        for (String hex : new String[] {"", "zz", e.nodeId() + "00", e.nodeId().substring(1), "x".repeat(10_000)}) {
            Verdict v = verify(new Envelope(e.id(), e.result(), hex, e.poe(), e.sig(), e.alg()));
            assertFails(v, Check.NODE_ID);
            assertThat(v.detail()).hasSizeLessThan(200);
        }
    }

    @Test
    void verify_1024BitKey_failsSignatureEvenWhenEverythingMatches() throws Exception {
        KeyPair small = TestKeys.rsa1024();
        RSAPublicKey pub = (RSAPublicKey) small.getPublic();
        NodeId nodeId = NodeId.of(pub);
        byte[] poe = ProofOfExecution.v1(ID, RESULT, nodeId);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(small.getPrivate());
        s.update(RESULT);
        s.update(poe);
        Verdict v = verifier.verify(ID, RESULT, nodeId.hex(), poe, s.sign(), "RS256", pub);
        assertFails(v, Check.SIGNATURE);
        assertThat(v.detail()).contains("1024 bits");
    }

    @Test
    void verify_severalDefects_reportsTheFirstInCheckOrder() throws Exception {
        Envelope e = envelope(SigAlg.PS256);
        byte[] badSig = flip(e.sig());
        byte[] badPoe = flip(e.poe());
        assertFails(verify(new Envelope("bad id", e.result(), "zz", badPoe, badSig, "XX")), Check.REQUEST_ID);
        assertFails(verify(new Envelope(e.id(), e.result(), "zz", badPoe, badSig, "XX")), Check.SIG_ALG);
        assertFails(verify(new Envelope(e.id(), e.result(), "zz", badPoe, badSig, e.alg())), Check.NODE_ID);
        assertFails(verify(new Envelope(e.id(), e.result(), e.nodeId(), badPoe, badSig, e.alg())), Check.POE);
        assertFails(verify(new Envelope(e.id(), e.result(), e.nodeId(), e.poe(), badSig, e.alg())), Check.SIGNATURE);
    }

    @Test
    void verify_seededRandomMutations_neverThrowAndNeverPass() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        Envelope e = envelope(SigAlg.PS256);
        String[] ids = {e.id(), "req_b", "", "a b", "x".repeat(200), "\u00e9"};
        String[] algs = {e.alg(), "RS256", "PS384", ""};
        for (int i = 0; i < 300; i++) {
            int field = random.nextInt(6);
            Envelope m = new Envelope(
                    field == 0 ? ids[1 + random.nextInt(ids.length - 1)] : e.id(),
                    field == 1 ? randomBytes(random, random.nextInt(64)) : e.result(),
                    field == 2 ? randomHex(random) : e.nodeId(),
                    field == 3 ? randomBytes(random, random.nextInt(3) == 0 ? 32 : random.nextInt(40)) : e.poe(),
                    field == 4 ? randomBytes(random, random.nextInt(3) == 0 ? 256 : random.nextInt(600)) : e.sig(),
                    field == 5 ? algs[1 + random.nextInt(algs.length - 1)] : e.alg());
            Verdict v = verify(m);
            assertThat(v.valid())
                    .as("seed %d, iteration %d, field %d: %s", seed, i, field, v)
                    .isFalse();
        }
    }

    @Test
    void verifyChallenge_validAndTampered() throws Exception {
        byte[] nonce = randomBytes(new Random(1), 32);
        ResultSigner signer = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK);
        byte[] sig = signer.signChallenge(nonce);
        String id = key.nodeId().hex();
        assertThat(verifier.verifyChallenge(nonce, id, sig, "PS256", key.publicKey()))
                .isEqualTo(Verdict.ok());
        assertFails(verifier.verifyChallenge(flip(nonce), id, sig, "PS256", key.publicKey()), Check.SIGNATURE);
        assertFails(verifier.verifyChallenge(nonce, id, flip(sig), "PS256", key.publicKey()), Check.SIGNATURE);
        assertFails(verifier.verifyChallenge(nonce, id, sig, "RS256", key.publicKey()), Check.SIGNATURE);
        assertFails(verifier.verifyChallenge(nonce, id, sig, "HS256", key.publicKey()), Check.SIG_ALG);
        assertFails(
                verifier.verifyChallenge(nonce, TestKeys.other2048().nodeId().hex(), sig, "PS256", key.publicKey()),
                Check.NODE_ID);
        assertFails(
                verifier.verifyChallenge(
                        nonce, id, sig, "PS256", TestKeys.other2048().publicKey()),
                Check.NODE_ID);
        Verdict shortNonce = verifier.verifyChallenge(new byte[8], id, sig, "PS256", key.publicKey());
        assertFails(shortNonce, Check.SIGNATURE);
        assertThat(shortNonce.detail()).contains("8 bytes");
    }

    @Test
    void verify_resultSignatureNeverPassesAsChallenge() throws Exception {
        // Domain separation: a result signature over (nonce-shaped result || poe) is no challenge proof.
        byte[] nonce = randomBytes(new Random(2), 32);
        SignedResult r = new ResultSigner(key, SigAlg.RS256, CryptoProvider.JDK).sign(ID, nonce);
        assertFails(
                verifier.verifyChallenge(nonce, key.nodeId().hex(), r.sig(), "RS256", key.publicKey()),
                Check.SIGNATURE);
    }

    private static byte[] flip(byte[] b) {
        byte[] c = Arrays.copyOf(b, b.length);
        c[c.length / 2] ^= 0x01;
        return c;
    }

    private static byte[] randomBytes(Random random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String randomHex(Random random) {
        return HexFormat.of().formatHex(randomBytes(random, random.nextInt(40)));
    }
}
