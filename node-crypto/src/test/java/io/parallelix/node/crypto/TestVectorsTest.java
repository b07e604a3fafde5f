package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.crypto.TestVectors.Case;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The Java code reproduces every value in docs/test-vectors/poe-v1.json. */
class TestVectorsTest {
    private static final TestVectors VECTORS = TestVectors.load();

    @Test
    void key_isTheClearlyNamedTestOnlyKey() {
        JsonNode key = VECTORS.root().get("key");
        assertThat(key.get("name").asText()).isEqualTo("test-only-key-rsa3072");
        assertThat(key.get("warning").asText()).startsWith("TEST ONLY");
        assertThat(key.get("bits").asInt()).isEqualTo(3072);
        NodeKey nodeKey = VECTORS.key();
        assertThat(nodeKey.bits()).isEqualTo(3072);
        assertThat(nodeKey.nodeId().hex()).isEqualTo(key.get("node_id").asText());
        assertThat(KeyFiles.publicKeyPem(nodeKey.publicKey()))
                .isEqualTo(key.get("public_key_pem").asText());
    }

    @Test
    void cases_coverEmptyOneMibAndTheBoundaryPair() {
        assertThat(VECTORS.cases())
                .extracting(Case::name)
                .contains("empty-result", "one-mib-result", "boundary-a", "boundary-b");
        assertThat(find("empty-result").result()).isEmpty();
        Case mib = find("one-mib-result");
        assertThat(mib.result()).hasSize(1 << 20);
        JsonNode generator = mib.json().get("result_generator");
        assertThat(generator.get("length").asInt()).isEqualTo(1 << 20);
        assertThat(generator.get("sha256").asText()).isEqualTo(sha256Hex(mib.result()));
        assertThat(find("boundary-a").poe()).isEqualTo(find("boundary-b").poe());
        assertThat(VECTORS.negativeCases()).hasSizeGreaterThanOrEqualTo(10);
    }

    @ParameterizedTest
    @EnumSource(CryptoProvider.class)
    void cases_poeAndRs256ReproduceByteForByteAndPs256Verifies(CryptoProvider provider) throws Exception {
        NodeKey key = VECTORS.key();
        ResultSigner rs256 = new ResultSigner(key, SigAlg.RS256, provider);
        EnvelopeVerifier verifier = new EnvelopeVerifier(provider);
        for (Case c : VECTORS.cases()) {
            assertThat(c.nodeId()).as(c.name()).isEqualTo(key.nodeId().hex());
            assertThat(ProofOfExecution.v1(c.requestId(), c.result(), key.nodeId()))
                    .as(c.name())
                    .isEqualTo(c.poe());
            SignedResult signed = rs256.sign(c.requestId(), c.result());
            assertThat(signed.poe()).as(c.name()).isEqualTo(c.poe());
            assertThat(signed.sig()).as(c.name()).isEqualTo(c.sig("rs256_sig_b64"));
            Verdict ps = verifier.verify(
                    c.requestId(), c.result(), c.nodeId(), c.poe(), c.sig("ps256_sig_b64"), "PS256", key.publicKey());
            assertThat(ps.valid()).as("%s: %s", c.name(), ps).isTrue();
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
                    c.poe(),
                    c.sig("sig_b64"),
                    c.json().get("sig_alg").asText(),
                    VECTORS.key().publicKey());
            assertThat(v.failed())
                    .as("%s: %s", c.name(), v)
                    .isNotNull()
                    .extracting(check -> check.name().toLowerCase(java.util.Locale.ROOT))
                    .isEqualTo(c.json().get("expect_failed_check").asText());
        }
    }

    @Test
    void generator_reproducesTheCommittedFileExceptRandomPssSignatures() throws Exception {
        String pem = VECTORS.root().at("/key/private_key_pem").asText();
        ObjectNode regenerated = new TestVectorGenerator(pem).build();
        assertThat(withoutPss(regenerated)).isEqualTo(withoutPss(VECTORS.root().deepCopy()));
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

    static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of()
                    .formatHex(
                            java.security.MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] b64(String s) {
        return Base64.getDecoder().decode(s);
    }
}
