package io.parallelix.node.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.crypto.SignedResult;
import io.parallelix.node.crypto.SignedStream;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code pxnode verify --stream} on docs/test-vectors/openai-stream-v1.json: every valid case is
 * valid (with its text), every negative one invalid at its check, and --print-text prints what
 * scripts/verify_envelope.py --print-text prints.
 */
class VerifyStreamTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private JsonNode doc;
    private Path pub;

    record Run(int exit, String out, String err) {}

    private Run run(byte[] stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PxNode.commandLine(
                        Map.of("HOME", dir.toString()),
                        new ByteArrayInputStream(stdin),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void vectors() throws Exception {
        doc = JSON.readTree(
                RepoRoot.resolve("docs/test-vectors/openai-stream-v1.json").toFile());
        pub = Files.writeString(
                dir.resolve("pub.pem"), doc.at("/key/public_key_pem").asText());
    }

    private Run verify(byte[] stream, String... more) throws Exception {
        Path s = Files.write(Files.createTempFile(dir, "answer", ".sse"), stream);
        List<String> args =
                new ArrayList<>(List.of("verify", "--stream", s.toString(), "--public-key", pub.toString()));
        args.addAll(List.of(more));
        return run(new byte[0], args.toArray(String[]::new));
    }

    private static byte[] utf8(JsonNode text) {
        return text.asText().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void verify_everyCase_isValidUnderBothSchemes_printsItsText_andChecksTheAllocatedId() throws Exception {
        for (JsonNode c : doc.get("stream_cases")) {
            String name = c.get("name").asText();
            for (String field : List.of("rs256_stream", "ps256_stream")) {
                Run r = verify(utf8(c.get(field)));
                assertThat(r.out()).as("%s %s: %s", name, field, r.err()).isEqualTo("valid\n");
                assertThat(r.exit()).isZero();
            }
            Run text = verify(
                    utf8(c.get("rs256_stream")),
                    "--request-id",
                    c.get("request_id").asText(),
                    "--print-text");
            assertThat(text.exit()).as(text.err()).isZero();
            List<String> lines = text.out().lines().toList();
            assertThat(lines).hasSize(2).first().isEqualTo("valid");
            assertThat(JSON.readTree(lines.get(1))).as(name).isEqualTo(c.get("text"));
            Run other = verify(utf8(c.get("rs256_stream")), "--request-id", "req_someone_else", "--print-text");
            assertThat(other.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(other.out()).startsWith("invalid: REQUEST_ID: ").doesNotContain("choices");
        }
    }

    @Test
    void verify_everyNegativeCase_isInvalidAtItsCheck() throws Exception {
        for (JsonNode c : doc.get("negative_stream_cases")) {
            byte[] raw = Base64.getDecoder().decode(c.get("stream_b64").asText());
            Run r = c.has("expected_request_id")
                    ? verify(raw, "--request-id", c.get("expected_request_id").asText())
                    : verify(raw);
            assertThat(r.exit()).as(c.get("name").asText()).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(r.out())
                    .as(c.get("name").asText())
                    .startsWith(
                            "invalid: " + c.get("expect_failed_check").asText().toUpperCase(Locale.ROOT) + ": ");
        }
    }

    @Test
    void verify_stdin_isRead() {
        Run r = run(
                utf8(doc.at("/stream_cases/0/ps256_stream")),
                "verify",
                "--stream",
                "-",
                "--public-key",
                pub.toString());
        assertThat(r.out()).as(r.err()).isEqualTo("valid\n");
    }

    @Test
    void verify_printText_agreesWithThePythonVerifier() throws Exception {
        JsonNode c = doc.at("/stream_cases/1");
        Path s = Files.write(dir.resolve("chat.sse"), utf8(c.get("ps256_stream")));
        Run java = run(new byte[0], "verify", "--stream", s.toString(), "--public-key", pub.toString(), "--print-text");
        Subprocess.Result python = Subprocess.of(
                        RepoRoot.path(),
                        "python3",
                        "scripts/verify_envelope.py",
                        "--stream",
                        s.toString(),
                        "--public-key",
                        pub.toString(),
                        "--print-text")
                .run();
        assertThat(python.exit()).as(python.toString()).isZero();
        List<String> j = java.out().lines().toList();
        List<String> p = python.stdout().lines().toList();
        assertThat(j.get(0)).isEqualTo(p.get(0)).isEqualTo("valid");
        assertThat(JSON.readTree(j.get(1))).isEqualTo(JSON.readTree(p.get(1))).isEqualTo(c.get("text"));
    }

    @Test
    void verify_printTextOfEventsThatAreNotChunks_isInvalidResult() throws Exception {
        // validly signed under the test key, but not what the node sends: the text cannot be read
        Path keyDir = Files.createDirectory(
                dir.resolve("key"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path keyFile = Files.createFile(
                keyDir.resolve("key.pem"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(keyFile, doc.at("/key/private_key_pem").asText(), StandardCharsets.US_ASCII);
        NodeKey key = KeyFiles.readPrivateKey(keyFile, null);
        byte[] events = "data: {\"object\":\"list\",\"data\":[]}\n\n".getBytes(StandardCharsets.US_ASCII);
        SignedResult signed = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK).sign("req_1", events);
        byte[] trailer = SignedStream.trailer(signed, "x", "{}");
        byte[] raw = new byte[events.length + trailer.length];
        System.arraycopy(events, 0, raw, 0, events.length);
        System.arraycopy(trailer, 0, raw, events.length, trailer.length);
        assertThat(verify(raw).out()).isEqualTo("valid\n");
        Run r = verify(raw, "--print-text");
        assertThat(r.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).isEqualTo("invalid: RESULT: line 1 is not an OpenAI chunk\n");
    }

    @Test
    void verify_streamWithOtherInputs_isUsage() throws Exception {
        Path s = Files.write(dir.resolve("a.sse"), utf8(doc.at("/stream_cases/0/rs256_stream")));
        assertThat(run(new byte[0], "verify", "--stream", s.toString()).exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(run(
                                new byte[0],
                                "verify",
                                "--stream",
                                s.toString(),
                                "--body",
                                s.toString(),
                                "--public-key",
                                pub.toString())
                        .exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run(new byte[0], "verify", s.toString(), "--stream", s.toString(), "--public-key", pub.toString())
                        .exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run(new byte[0], "verify", s.toString(), "--print-text", "--public-key", pub.toString())
                        .exit())
                .isEqualTo(ExitCodes.USAGE);
        Run missing = run(
                new byte[0], "verify", "--stream", dir.resolve("none.sse").toString(), "--public-key", pub.toString());
        assertThat(missing.exit()).isEqualTo(ExitCodes.IO);
    }
}
