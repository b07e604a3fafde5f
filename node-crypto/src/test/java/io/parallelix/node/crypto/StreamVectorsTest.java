package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/test-vectors/openai-stream-v1.json: the generator reproduces it (RS256 streams byte for
 * byte), and the Java verifier and scripts/verify_envelope.py (its --vectors and --stream modes)
 * agree on every case: valid ones valid, negative ones refused at the named check.
 */
class StreamVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FILE = RepoRoot.resolve("docs/test-vectors/openai-stream-v1.json");

    @TempDir
    Path dir;

    @BeforeAll
    static void requirePython() {
        RequiredTools.python(Path.of(System.getProperty("java.io.tmpdir")));
    }

    private static JsonNode doc() throws Exception {
        return JSON.readTree(FILE.toFile());
    }

    private static RSAPublicKey key(JsonNode doc) throws Exception {
        return KeyFiles.parsePublicKeyPem(doc.at("/key/public_key_pem").asText());
    }

    @Test
    void generator_reproducesTheCommittedFileExceptRandomPssStreams() throws Exception {
        JsonNode poe = JSON.readTree(RepoFiles.vectors().toFile());
        ObjectNode regenerated = new StreamVectorGenerator(poe.get("key")).build();
        assertThat(withoutPss(JSON.readTree(JSON.writeValueAsString(regenerated))))
                .isEqualTo(withoutPss(doc()));
    }

    @Test
    void cases_verifyUnderBothSchemes_andSignTheBytesBeforeTheTrailer() throws Exception {
        JsonNode doc = doc();
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        assertThat(doc.get("stream_cases")).hasSizeGreaterThanOrEqualTo(3);
        for (JsonNode c : doc.get("stream_cases")) {
            for (String field : List.of("rs256_stream", "ps256_stream")) {
                byte[] raw = c.get(field).asText().getBytes(StandardCharsets.UTF_8);
                String what = c.get("name").asText() + " " + field;
                assertThat(verifier.verifyStream(raw, key(doc))).as(what).isEqualTo(Verdict.ok());
                assertThat(verifier.verifyStream(raw, c.get("request_id").asText(), key(doc)))
                        .as(what)
                        .isEqualTo(Verdict.ok());
                SignedStream.Framed f = (SignedStream.Framed) SignedStream.read(raw);
                assertThat(f.result())
                        .as(what)
                        .isEqualTo(b64(c.get("result_b64").asText()));
                assertThat(f.trailer().resultFormat())
                        .isEqualTo(c.get("result_format").asText());
            }
        }
    }

    @Test
    void negativeCases_areRefusedAtTheNamedCheck() throws Exception {
        JsonNode doc = doc();
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        assertThat(doc.get("negative_stream_cases")).hasSizeGreaterThanOrEqualTo(30);
        for (JsonNode c : doc.get("negative_stream_cases")) {
            byte[] raw = b64(c.get("stream_b64").asText());
            Verdict v = c.has("expected_request_id")
                    ? verifier.verifyStream(raw, c.get("expected_request_id").asText(), key(doc))
                    : verifier.verifyStream(raw, key(doc));
            assertThat(v.failed())
                    .as("%s: %s", c.get("name").asText(), v)
                    .isNotNull()
                    .extracting(check -> check.name().toLowerCase(Locale.ROOT))
                    .isEqualTo(c.get("expect_failed_check").asText());
        }
    }

    @Test
    void vectors_allPassInThePythonVerifier() {
        Subprocess.Result r = python("--vectors", FILE.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines.subList(0, lines.size() - 1))
                .allSatisfy(l -> assertThat(l).startsWith("ok   "));
        assertThat(lines.get(lines.size() - 1)).matches("(\\d+) checks: \\1 passed, 0 failed");
        assertThat(r.stdout()).contains("chat-two-choices: RS256 (byte-exact re-sign)", "negative crlf-line-ends");
    }

    /**
     * verify_envelope.py --stream FILE on every valid case and the first negative case of each
     * check (the --vectors run covers every case through the same code; each run costs a Python
     * start): the same verdict as the Java verifier.
     */
    @Test
    void vectors_pythonStreamModeAgreesWithJava() throws Exception {
        JsonNode doc = doc();
        Path pub = Files.writeString(
                dir.resolve("pub.pem"), doc.at("/key/public_key_pem").asText());
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        for (JsonNode c : doc.get("stream_cases")) {
            Path file = Files.writeString(
                    dir.resolve("s.sse"), c.get("ps256_stream").asText());
            Subprocess.Result r = python(
                    "--stream",
                    file.toString(),
                    "--public-key",
                    pub.toString(),
                    "--request-id",
                    c.get("request_id").asText(),
                    "--print-text");
            assertThat(r.exit()).as(r.toString()).isZero();
            List<String> lines = r.stdout().lines().toList();
            assertThat(lines.get(0)).isEqualTo("valid");
            assertThat(JSON.readTree(lines.get(1))).as(c.get("name").asText()).isEqualTo(c.get("text"));
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (JsonNode c : doc.get("negative_stream_cases")) {
            if (!seen.add(c.get("expect_failed_check").asText()) && !c.has("expected_request_id")) {
                continue;
            }
            byte[] raw = b64(c.get("stream_b64").asText());
            Path file = Files.write(dir.resolve("s.sse"), raw);
            String expected =
                    c.has("expected_request_id") ? c.get("expected_request_id").asText() : null;
            Subprocess.Result r = expected == null
                    ? python("--stream", file.toString(), "--public-key", pub.toString())
                    : python("--stream", file.toString(), "--public-key", pub.toString(), "--request-id", expected);
            Verdict java = expected == null
                    ? verifier.verifyStream(raw, key(doc))
                    : verifier.verifyStream(raw, expected, key(doc));
            assertThat(r.exit()).as(r.toString()).isEqualTo(1);
            assertThat(r.stdout())
                    .as(c.get("name").asText())
                    .startsWith("invalid: " + java.failed().name().toLowerCase(Locale.ROOT) + ": ");
        }
    }

    @Test
    void pythonStreamMode_stdinAndUsageErrors() throws Exception {
        JsonNode doc = doc();
        Files.writeString(dir.resolve("pub.pem"), doc.at("/key/public_key_pem").asText());
        byte[] raw = doc.at("/stream_cases/0/rs256_stream").asText().getBytes(StandardCharsets.UTF_8);
        Subprocess.Result stdin = Subprocess.of(
                        dir,
                        "python3",
                        RepoFiles.verifyEnvelopeScript().toString(),
                        "--stream",
                        "-",
                        "--public-key",
                        "pub.pem")
                .withStdin(raw)
                .run();
        assertThat(stdin.stdout().strip()).as(stdin.toString()).isEqualTo("valid");
        assertThat(python("--stream", "missing.sse", "--public-key", "pub.pem").exit())
                .isEqualTo(2);
        assertThat(python("--stream", "-").exit()).isEqualTo(2); // no key
        Path f = Files.write(dir.resolve("s.sse"), raw);
        assertThat(python("--stream", f.toString(), "--public-key", "pub.pem", "--print-embeddings")
                        .exit())
                .isEqualTo(2);
        assertThat(python(f.toString(), "--public-key", "pub.pem", "--print-text")
                        .exit())
                .isEqualTo(2);
    }

    private Subprocess.Result python(String... args) {
        String[] cmd = new String[args.length + 2];
        cmd[0] = "python3";
        cmd[1] = RepoFiles.verifyEnvelopeScript().toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        return Subprocess.of(dir, cmd).run();
    }

    private static JsonNode withoutPss(JsonNode doc) {
        ObjectNode copy = (ObjectNode) doc.deepCopy();
        copy.get("stream_cases").forEach(c -> ((ObjectNode) c).remove("ps256_stream"));
        return copy;
    }

    private static byte[] b64(String s) {
        return Base64.getDecoder().decode(s);
    }
}
