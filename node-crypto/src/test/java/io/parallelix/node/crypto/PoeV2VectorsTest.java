package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.crypto.TestVectors.Case;
import io.parallelix.node.testing.Subprocess;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * docs/test-vectors/poe-v2.json: the Java code reproduces it, openssl hashes the framing as
 * docs/protocol.md spells it (built here byte by byte, not by ProofOfExecution), and
 * verify_envelope.py, its own implementation, passes every case.
 */
class PoeV2VectorsTest {
    private static final TestVectors VECTORS = TestVectors.load(RepoFiles.vectorsV2());

    @TempDir
    Path dir;

    @Test
    void file_isV2AndTheBoundaryPairNoLongerCollides() {
        assertThat(VECTORS.root().get("poe_version").asInt()).isEqualTo(2);
        assertThat(find("boundary-a").poe()).isNotEqualTo(find("boundary-b").poe());
        assertThat(VECTORS.negativeCases()).extracting(Case::name).contains("boundary-resplit", "v1-poe-claimed-as-v2");
    }

    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void cases_poeAndRs256ReproduceByteForByteAndPs256Verifies(CryptoProvider provider) throws Exception {
        NodeKey key = VECTORS.key();
        ResultSigner rs256 = new ResultSigner(key, SigAlg.RS256, provider);
        EnvelopeVerifier verifier = new EnvelopeVerifier(provider);
        for (Case c : VECTORS.cases()) {
            assertThat(ProofOfExecution.v2(c.requestId(), c.result(), key.nodeId()))
                    .as(c.name())
                    .isEqualTo(c.poe());
            SignedResult signed = rs256.sign(c.requestId(), c.result(), PoeVersion.V2);
            assertThat(signed.poe()).as(c.name()).isEqualTo(c.poe());
            assertThat(signed.sig()).as(c.name()).isEqualTo(c.sig("rs256_sig_b64"));
            assertThat(signed.poeVersion()).isEqualTo(PoeVersion.V2);
            Verdict ps = verifier.verify(
                    c.requestId(),
                    c.result(),
                    c.nodeId(),
                    2,
                    c.poe(),
                    c.sig("ps256_sig_b64"),
                    "PS256",
                    key.publicKey());
            assertThat(ps.valid()).as("%s: %s", c.name(), ps).isTrue();
            // The same bytes presented as v1 are not a v1 commitment.
            Verdict asV1 = verifier.verify(
                    c.requestId(),
                    c.result(),
                    c.nodeId(),
                    1,
                    c.poe(),
                    c.sig("rs256_sig_b64"),
                    "RS256",
                    key.publicKey());
            assertThat(asV1.failed()).as(c.name()).isEqualTo(Verdict.Check.POE);
        }
    }

    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void negativeCases_areRejectedAtTheExpectedCheck(CryptoProvider provider) {
        EnvelopeVerifier verifier = new EnvelopeVerifier(provider);
        for (Case c : VECTORS.negativeCases()) {
            Verdict v = verifier.verify(
                    c.requestId(),
                    c.result(),
                    c.nodeId(),
                    2,
                    c.poe(),
                    c.sig("sig_b64"),
                    c.json().get("sig_alg").asText(),
                    VECTORS.key().publicKey());
            assertThat(v.failed())
                    .as("%s: %s", c.name(), v)
                    .isNotNull()
                    .extracting(check -> check.name().toLowerCase(Locale.ROOT))
                    .isEqualTo(c.json().get("expect_failed_check").asText());
        }
    }

    @Test
    void generator_reproducesTheCommittedFileExceptRandomPssSignatures() throws Exception {
        String pem = VECTORS.root().at("/key/private_key_pem").asText();
        ObjectNode regenerated = new TestVectorGenerator(pem, PoeVersion.V2).build();
        assertThat(withoutPss(regenerated)).isEqualTo(withoutPss(VECTORS.root()));
    }

    @Test
    void cases_poeIsOpensslSha256OfTheDocumentedFraming() throws Exception {
        RequiredTools.openssl(dir);
        for (Case c : VECTORS.cases()) {
            byte[] id = c.requestId().getBytes(StandardCharsets.UTF_8);
            byte[] framed = ResultSignerTest.concat(
                    "pxnode-poe-v2\0".getBytes(StandardCharsets.US_ASCII),
                    ByteBuffer.allocate(2).putShort((short) id.length).array(),
                    id,
                    ByteBuffer.allocate(8).putLong(c.result().length).array(),
                    c.result(),
                    HexFormat.of().parseHex(c.nodeId()));
            Files.write(dir.resolve("commitment.bin"), framed);
            String out = Subprocess.of(dir, "openssl", "dgst", "-sha256", "-r", "commitment.bin")
                    .run()
                    .requireSuccess()
                    .stdout();
            assertThat(out.substring(0, 64))
                    .as(c.name())
                    .isEqualTo(HexFormat.of().formatHex(c.poe()));
        }
    }

    @Test
    void vectors_allPassInPython() {
        RequiredTools.python(dir);
        Subprocess.Result r = Subprocess.of(
                        dir,
                        "python3",
                        RepoFiles.verifyEnvelopeScript().toString(),
                        "--vectors",
                        RepoFiles.vectorsV2().toString())
                .run();
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines.subList(0, lines.size() - 1))
                .allSatisfy(l -> assertThat(l).startsWith("ok   "));
        assertThat(r.stdout()).contains("poe v2, RS256 (byte-exact re-sign)", "v1-poe-claimed-as-v2");
    }

    private static JsonNode withoutPss(JsonNode doc) {
        ObjectNode copy = (ObjectNode) doc.deepCopy();
        copy.get("cases").forEach(c -> ((ObjectNode) c).remove("ps256_sig_b64"));
        copy.get("negative_cases").forEach(c -> {
            if (c.get("name").asText().startsWith("ps256-")) {
                ((ObjectNode) c).remove("sig_b64");
            }
        });
        return copy;
    }

    private static Case find(String name) {
        return VECTORS.cases().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
