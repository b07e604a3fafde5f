package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.crypto.KeyException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ResultSignerTest {
    private static final byte[] RESULT = "result bytes".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void sign_rs256SelfTestVector_matchesPycaKnownAnswerByteForByte(CryptoProvider provider) throws Exception {
        SignedResult r = new ResultSigner(TestKeys.rsa2048(), SigAlg.RS256, provider)
                .sign(CryptoSelfTest.REQUEST_ID, CryptoSelfTest.RESULT);
        assertThat(r.poeHex()).isEqualTo(CryptoSelfTest.POE);
        assertThat(HexFormat.of().formatHex(r.sig())).isEqualTo(CryptoSelfTest.RS256_SIG);
    }

    @Test
    void sign_rs256_signsExactlyResultThenPoe() throws Exception {
        NodeKey key = TestKeys.rsa2048();
        SignedResult r = new ResultSigner(key, SigAlg.RS256, CryptoProvider.JDK).sign("req_1", RESULT);
        Signature plain = Signature.getInstance("SHA256withRSA");
        plain.initSign(key.privateKey());
        plain.update(concat(RESULT, r.poe()));
        assertThat(r.sig()).isEqualTo(plain.sign());
    }

    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void sign_ps256_usesSalt32NotTheSha1Defaults(CryptoProvider provider) throws Exception {
        NodeKey key = TestKeys.rsa2048();
        SignedResult r = new ResultSigner(key, SigAlg.PS256, provider).sign("req_1", RESULT);
        assertThat(pssVerifies(key, r, 32)).isTrue();
        assertThat(pssVerifies(key, r, 20))
                .as("a salt-20 verifier must reject it")
                .isFalse();
    }

    @Test
    void sign_ps256_isRandomizedRs256Deterministic() throws Exception {
        ResultSigner ps = new ResultSigner(TestKeys.rsa2048(), SigAlg.PS256, CryptoProvider.JDK);
        ResultSigner rs = new ResultSigner(TestKeys.rsa2048(), SigAlg.RS256, CryptoProvider.JDK);
        assertThat(ps.sign("req_1", RESULT).sig())
                .isNotEqualTo(ps.sign("req_1", RESULT).sig());
        assertThat(rs.sign("req_1", RESULT).sig())
                .isEqualTo(rs.sign("req_1", RESULT).sig());
    }

    @Test
    void sign_jdkAndAccp_giveIdenticalRs256Bytes() throws Exception {
        byte[] jdk = new ResultSigner(TestKeys.rsa3072(), SigAlg.RS256, CryptoProvider.JDK)
                .sign("req_x", RESULT)
                .sig();
        byte[] accp = new ResultSigner(TestKeys.rsa3072(), SigAlg.RS256, CryptoProvider.ACCP)
                .sign("req_x", RESULT)
                .sig();
        assertThat(accp).isEqualTo(jdk);
    }

    @Test
    void sign_seededRandomResults_verifyUnderBothSchemesAndProviders() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        for (CryptoProvider provider : CryptoProvider.values()) {
            for (SigAlg alg : SigAlg.values()) {
                ResultSigner signer = new ResultSigner(TestKeys.rsa2048(), alg, provider);
                for (int i = 0; i < 10; i++) {
                    byte[] result = new byte[random.nextInt(3) == 0 ? 0 : random.nextInt(70_000)];
                    random.nextBytes(result);
                    String id = "req-" + Integer.toUnsignedString(random.nextInt(), 36);
                    SignedResult r = signer.sign(id, result);
                    Verdict v = verifier.verify(
                            id,
                            result,
                            r.nodeId().hex(),
                            r.poe(),
                            r.sig(),
                            alg.wireName(),
                            TestKeys.rsa2048().publicKey());
                    assertThat(v.valid())
                            .as("seed %d, %s %s #%d: %s", seed, provider, alg, i, v)
                            .isTrue();
                }
            }
        }
    }

    @Test
    void sign_invalidRequestId_throwsBeforeSigning() throws Exception {
        ResultSigner signer = new ResultSigner(TestKeys.rsa2048(), SigAlg.PS256, CryptoProvider.JDK);
        assertThatThrownBy(() -> signer.sign("req 1", RESULT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("index 3");
    }

    @Test
    void sign_manyThreads_allSignaturesVerify() throws Exception {
        ResultSigner signer = new ResultSigner(TestKeys.rsa2048(), SigAlg.PS256, CryptoProvider.JDK);
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Verdict>> verdicts = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String id = "req_" + i;
                byte[] result = ("result " + i).getBytes(StandardCharsets.US_ASCII);
                verdicts.add(pool.submit(() -> {
                    SignedResult r = signer.sign(id, result);
                    return verifier.verify(
                            id,
                            result,
                            r.nodeId().hex(),
                            r.poe(),
                            r.sig(),
                            "PS256",
                            TestKeys.rsa2048().publicKey());
                }));
            }
            for (Future<Verdict> v : verdicts) {
                assertThat(v.get().valid()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sign_providerCorruptsSignature_throwsInsteadOfReturningIt() throws Exception {
        FaultyProvider faulty = new FaultyProvider();
        ResultSigner signer = new ResultSigner(TestKeys.rsa2048(), SigAlg.RS256, faulty.jca());
        assertThat(signer.sign("req_1", RESULT).sig()).isNotEmpty(); // healthy so far
        faulty.corruptSignatures.set(true);
        assertThatThrownBy(() -> signer.sign("req_1", RESULT))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("failed its own verification");
        assertThatThrownBy(() -> signer.signChallenge(new byte[16])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void sign_accp_checksItsOwnResults_soTheSecondVerifyIsLeftToIt() throws Exception {
        assertThat(JcaProvider.resolve(CryptoProvider.ACCP).checksItsOwnSignatures())
                .isTrue();
        assertThat(JcaProvider.resolve(CryptoProvider.JDK).checksItsOwnSignatures())
                .isFalse();
        assertThat(new FaultyProvider().jca().checksItsOwnSignatures())
                .as("a provider of unknown make keeps the node's own verify")
                .isFalse();
    }

    @Test
    void constructor_providerCorruptsFromTheStart_throwsUnsupported() {
        FaultyProvider faulty = new FaultyProvider();
        faulty.corruptSignatures.set(true);
        assertThatThrownBy(() -> new ResultSigner(TestKeys.rsa2048(), SigAlg.PS256, faulty.jca()))
                .isInstanceOfSatisfying(
                        KeyException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED));
    }

    @Test
    void providerDescription_namesTheProvider() throws Exception {
        assertThat(new ResultSigner(TestKeys.rsa2048(), SigAlg.PS256, CryptoProvider.JDK).providerDescription())
                .isEqualTo("SunRsaSign");
        assertThat(new ResultSigner(TestKeys.rsa2048(), SigAlg.PS256, CryptoProvider.ACCP).providerDescription())
                .isEqualTo("AmazonCorrettoCryptoProvider 2.5.0");
    }

    @Test
    void signChallenge_signsContextNonceAndNodeId() throws Exception {
        NodeKey key = TestKeys.rsa2048();
        byte[] nonce = new byte[32];
        new Random(7).nextBytes(nonce);
        byte[] sig = new ResultSigner(key, SigAlg.RS256, CryptoProvider.JDK).signChallenge(nonce);
        byte[] context = "pxnode-challenge-v1\0".getBytes(StandardCharsets.US_ASCII);
        assertThat(context).hasSize(20).endsWith((byte) 0);
        assertThat(rs256Verifies(key, concat(context, nonce, key.nodeId().bytes()), sig))
                .isTrue();
        assertThat(rs256Verifies(key, concat(nonce, key.nodeId().bytes()), sig)).isFalse();
    }

    @Test
    void signChallenge_nonceLengthBounds_areEnforced() throws Exception {
        ResultSigner signer = new ResultSigner(TestKeys.rsa2048(), SigAlg.PS256, CryptoProvider.JDK);
        assertThat(signer.signChallenge(new byte[16])).hasSize(256);
        assertThat(signer.signChallenge(new byte[1024])).hasSize(256);
        assertThatThrownBy(() -> signer.signChallenge(new byte[15]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("15 bytes");
        assertThatThrownBy(() -> signer.signChallenge(new byte[1025])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void signedResult_arraysAreDefensiveCopies() throws Exception {
        SignedResult r = new ResultSigner(TestKeys.rsa2048(), SigAlg.RS256, CryptoProvider.JDK).sign("req_1", RESULT);
        byte[] poe = r.poe();
        poe[0] ^= 1;
        assertThat(r.poe()).isNotEqualTo(poe);
        assertThat(r).isEqualTo(new SignedResult(r.requestId(), r.nodeId(), r.poe(), r.sig(), r.sigAlg()));
        assertThat(r.toString()).contains(r.poeHex()).contains("256 bytes RS256");
    }

    private static boolean pssVerifies(NodeKey key, SignedResult r, int saltLength) throws Exception {
        Signature v = Signature.getInstance("RSASSA-PSS");
        v.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, saltLength, 1));
        v.initVerify(key.publicKey());
        v.update(RESULT);
        v.update(r.poe());
        return v.verify(r.sig());
    }

    private static boolean rs256Verifies(NodeKey key, byte[] message, byte[] sig) throws Exception {
        Signature v = Signature.getInstance("SHA256withRSA");
        v.initVerify(key.publicKey());
        v.update(message);
        return v.verify(sig);
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
