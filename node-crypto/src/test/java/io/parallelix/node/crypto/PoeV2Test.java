package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.crypto.Verdict.Check;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** PoE v2 on every carrier: signed by the node when asked, checked by the verifier with its own layout. */
class PoeV2Test {
    private static final String ID = "req_v2-0001";
    private static final byte[] RESULT = "{\"label\":\"cat\",\"score\":0.97}".getBytes(StandardCharsets.US_ASCII);

    private final NodeKey key = TestKeys.rsa2048();
    private final ResultSigner signer = signer();
    private final EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);

    private ResultSigner signer() {
        try {
            return new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK);
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void v2_specExample_isTheDocumentedDigest() {
        // docs/protocol.md "PoE v2 byte layout", vector spec-example of poe-v2.json
        NodeId node = NodeId.fromHex("1e518ae554f310a7c12c066692e4a8cc4db0c32ac4b0bc0fa694cc08d3de05ac");
        assertThat(HexFormat.of().formatHex(ProofOfExecution.v2("req_a3f1", RESULT, node)))
                .isEqualTo(TestVectors.load(RepoFiles.vectorsV2()).cases().stream()
                        .filter(c -> c.name().equals("spec-example"))
                        .map(c -> HexFormat.of().formatHex(c.poe()))
                        .findFirst()
                        .orElseThrow());
        assertThat(ProofOfExecution.v2("req_a3f1", RESULT, node))
                .isNotEqualTo(ProofOfExecution.v1("req_a3f1", RESULT, node));
    }

    @Test
    void v2_framesTheSplit_whereV1DoesNot() {
        NodeId node = key.nodeId();
        byte[] a = "1234".getBytes(StandardCharsets.US_ASCII);
        byte[] b = "234".getBytes(StandardCharsets.US_ASCII);
        assertThat(ProofOfExecution.v1("req_a", a, node)).isEqualTo(ProofOfExecution.v1("req_a1", b, node));
        assertThat(ProofOfExecution.v2("req_a", a, node)).isNotEqualTo(ProofOfExecution.v2("req_a1", b, node));
    }

    @Test
    void v2_requestIdOver65535Bytes_isRefused() {
        assertThatThrownBy(() -> ProofOfExecution.v2("x".repeat(65536), RESULT, key.nodeId()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("65535");
    }

    @Test
    void envelope_v2_isValid_andUnderAnotherVersionFailsPoe() {
        SignedResult s = signer.sign(ID, RESULT, PoeVersion.V2);
        assertThat(s.poeVersion()).isEqualTo(PoeVersion.V2);
        assertThat(verify(s, 2)).isEqualTo(Verdict.ok());
        assertThat(verify(s, 1).failed()).isEqualTo(Check.POE);
        Verdict unknown = verify(s, 3);
        assertThat(unknown.failed()).isEqualTo(Check.POE);
        assertThat(unknown.detail()).contains("poe_version is 3", "1, 2");
        assertThat(verifier.verifyHexPoe(
                        ID, RESULT, s.nodeId().hex(), 2, s.poeHex(), s.sig(), "PS256", key.publicKey()))
                .isEqualTo(Verdict.ok());
        assertThat(verifier.verifyHexPoe(ID, RESULT, s.nodeId().hex(), 2, "zz", s.sig(), "PS256", key.publicKey())
                        .failed())
                .isEqualTo(Check.POE);
    }

    @Test
    void defaultSign_staysV1() {
        SignedResult s = signer.sign(ID, RESULT);
        assertThat(s.poeVersion()).isEqualTo(PoeVersion.V1);
        assertThat(s.poe()).isEqualTo(ProofOfExecution.v1(ID, RESULT, key.nodeId()));
    }

    @Test
    void headers_v2_isValid() {
        SignedResult s = signer.sign(ID, RESULT, PoeVersion.V2);
        assertThat(verifier.verifyHeaders(RESULT, headers(s, "2"), ID, key.publicKey()))
                .isEqualTo(Verdict.ok());
        assertThat(verifier.verifyHeaders(RESULT, headers(s, "1"), key.publicKey())
                        .failed())
                .isEqualTo(Check.POE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"3", "02", "2.0", "+2", "", "v2"})
    void headers_otherVersionText_failsPoe(String version) {
        SignedResult s = signer.sign(ID, RESULT, PoeVersion.V2);
        Verdict v = verifier.verifyHeaders(RESULT, headers(s, version), key.publicKey());
        assertThat(v.failed()).isEqualTo(Check.POE);
    }

    @Test
    void stream_v2_trailerSaysSo_andVerifies() {
        byte[] events = StreamFixture.completion();
        SignedResult s = signer.sign(ID, events, PoeVersion.V2);
        byte[] raw = StreamFixture.concat(events, SignedStream.trailer(s, StreamFixture.FORMAT, StreamFixture.META));
        assertThat(StreamFixture.text(raw)).contains("\"poe_version\":2,");
        assertThat(verifier.verifyStream(raw, ID, key.publicKey())).isEqualTo(Verdict.ok());
        byte[] relabelled = StreamFixture.replace(raw, "\"poe_version\":2,", "\"poe_version\":1,");
        assertThat(verifier.verifyStream(relabelled, key.publicKey()).failed()).isEqualTo(Check.POE);
        byte[] unknown = StreamFixture.replace(raw, "\"poe_version\":2,", "\"poe_version\":7,");
        assertThat(verifier.verifyStream(unknown, key.publicKey()).detail()).contains("poe_version is 7");
    }

    @Test
    void poeVersion_parse_takesExactDigitsOnly() {
        assertThat(PoeVersion.parse("1")).contains(PoeVersion.V1);
        assertThat(PoeVersion.parse("2")).contains(PoeVersion.V2);
        assertThat(PoeVersion.parse("02")).isEmpty();
        assertThat(PoeVersion.parse(" 2")).isEmpty();
        assertThat(PoeVersion.of(2)).contains(PoeVersion.V2);
        assertThat(PoeVersion.of(0)).isEmpty();
        assertThat(PoeVersion.known()).isEqualTo("1, 2");
    }

    private Verdict verify(SignedResult s, long version) {
        return verifier.verify(ID, RESULT, s.nodeId().hex(), version, s.poe(), s.sig(), "PS256", key.publicKey());
    }

    private static Map<String, List<String>> headers(SignedResult s, String version) {
        Map<String, List<String>> h = new LinkedHashMap<>();
        put(h, SignedHeaders.REQUEST_ID, s.requestId());
        put(h, SignedHeaders.NODE_ID, s.nodeId().hex());
        put(h, SignedHeaders.POE, s.poeHex());
        put(h, SignedHeaders.SIG, Base64.getEncoder().encodeToString(s.sig()));
        put(h, SignedHeaders.SIG_ALG, s.sigAlg().wireName());
        put(h, SignedHeaders.POE_VERSION, version);
        return h;
    }

    private static void put(Map<String, List<String>> h, String name, String value) {
        h.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
}
