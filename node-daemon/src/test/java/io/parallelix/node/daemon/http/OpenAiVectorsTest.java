package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.Verdict;
import io.parallelix.node.daemon.protocol.EmbeddingJson;
import io.parallelix.node.daemon.protocol.EmbeddingsRequest;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/test-vectors/openai-embeddings-v1.json: the node's code reproduces it (bodies and RS256
 * heads byte for byte), node-crypto's verifier and the independent Python one both accept every
 * case and refuse every negative one at the named check.
 */
class OpenAiVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FILE = RepoRoot.resolve("docs/test-vectors/openai-embeddings-v1.json");

    private static JsonNode doc() throws Exception {
        return JSON.readTree(FILE.toFile());
    }

    private static RSAPublicKey key(JsonNode doc) throws Exception {
        return KeyFiles.parsePublicKeyPem(doc.at("/key/public_key_pem").asText());
    }

    @Test
    void generator_reproducesTheCommittedFileExceptRandomPssHeads() throws Exception {
        JsonNode poe =
                JSON.readTree(RepoRoot.resolve("docs/test-vectors/poe-v1.json").toFile());
        ObjectNode regenerated = new OpenAiVectorGenerator(poe.get("key")).build();
        assertThat(withoutPss(JSON.readTree(JSON.writeValueAsString(regenerated))))
                .isEqualTo(withoutPss(doc()));
    }

    @Test
    void cases_bodiesAreWhatEmbeddingJsonWritesForTheirVectors_andVerifyUnderBothSchemes() throws Exception {
        JsonNode doc = doc();
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        assertThat(doc.get("header_cases")).hasSizeGreaterThanOrEqualTo(3);
        for (JsonNode c : doc.get("header_cases")) {
            byte[] body = c.get("body").asText().getBytes(StandardCharsets.UTF_8);
            List<float[]> vectors = new ArrayList<>();
            for (JsonNode hex : c.get("vectors_f32_hex")) {
                vectors.add(floats(hex.asText()));
            }
            EmbeddingsRequest.Encoding enc = EmbeddingsRequest.Encoding.valueOf(
                    c.get("encoding").asText().toUpperCase(Locale.ROOT));
            assertThat(EmbeddingJson.write(
                            c.get("model").asText(),
                            vectors,
                            enc,
                            c.get("prompt_tokens").asInt()))
                    .as(c.get("name").asText())
                    .isEqualTo(body);
            for (String field : List.of("rs256_headers", "ps256_headers")) {
                Verdict v = verifier.verifyHeaders(
                        body, SignedHeaders.parse(c.get(field).asText()), key(doc));
                assertThat(v).as("%s %s", c.get("name").asText(), field).isEqualTo(Verdict.ok());
            }
        }
    }

    @Test
    void negativeCases_areRefusedAtTheNamedCheck() throws Exception {
        JsonNode doc = doc();
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        assertThat(doc.get("negative_header_cases")).hasSizeGreaterThanOrEqualTo(12);
        for (JsonNode c : doc.get("negative_header_cases")) {
            Verdict v = verifier.verifyHeaders(
                    Base64.getDecoder().decode(c.get("body_b64").asText()),
                    SignedHeaders.parse(c.get("headers").asText()),
                    key(doc));
            assertThat(v.failed())
                    .as("%s: %s", c.get("name").asText(), v)
                    .isNotNull()
                    .extracting(check -> check.name().toLowerCase(Locale.ROOT))
                    .isEqualTo(c.get("expect_failed_check").asText());
        }
    }

    @Test
    void vectors_allPassInThePythonVerifier() {
        Subprocess.Result r = python(FILE);
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines.subList(0, lines.size() - 1))
                .allSatisfy(l -> assertThat(l).startsWith("ok   "));
        assertThat(lines.get(lines.size() - 1)).matches("(\\d+) checks: \\1 passed, 0 failed");
        assertThat(r.stdout()).contains("float-edge-values", "negative poe-twice", "floats shortest");
    }

    @Test
    void vectors_aVectorBitThatDisagreesWithTheBody_failsInPython(@TempDir Path dir) throws Exception {
        ObjectNode doc = (ObjectNode) doc();
        ObjectNode first = (ObjectNode) doc.get("header_cases").get(0);
        String hex = first.get("vectors_f32_hex").get(0).asText();
        ((com.fasterxml.jackson.databind.node.ArrayNode) first.get("vectors_f32_hex"))
                .set(
                        0,
                        (hex.charAt(7) == '0' ? hex.substring(0, 7) + "1" : hex.substring(0, 7) + "0")
                                + hex.substring(8));
        Path tampered = Files.writeString(dir.resolve("t.json"), JSON.writeValueAsString(doc));
        Subprocess.Result r = python(tampered);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.stdout()).contains("FAIL float-edge-values: result:").contains("1 failed");
    }

    private static Subprocess.Result python(Path vectors) {
        return Subprocess.of(RepoRoot.path(), "python3", "scripts/verify_envelope.py", "--vectors", vectors.toString())
                .run();
    }

    private static JsonNode withoutPss(JsonNode doc) {
        ObjectNode copy = (ObjectNode) doc.deepCopy();
        copy.get("header_cases").forEach(c -> ((ObjectNode) c).remove("ps256_headers"));
        return copy;
    }

    private static float[] floats(String hex) {
        byte[] b = HexFormat.of().parseHex(hex);
        float[] v = new float[b.length / 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = Float.intBitsToFloat(java.nio.ByteBuffer.wrap(b, i * 4, 4).getInt());
        }
        return v;
    }
}
