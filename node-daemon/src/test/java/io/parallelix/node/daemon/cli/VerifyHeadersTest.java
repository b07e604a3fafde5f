package io.parallelix.node.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.testing.RepoRoot;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code pxnode verify --body --headers} on the OpenAI header vectors: valid ones, each negative one. */
class VerifyHeadersTest {
    @TempDir
    Path dir;

    private JsonNode doc;
    private Path pub;

    record Run(int exit, String out, String err) {}

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = PxNode.commandLine(
                        Map.of("HOME", dir.toString()),
                        new ByteArrayInputStream(new byte[0]),
                        new PrintWriter(out, true),
                        new PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @BeforeEach
    void vectors() throws Exception {
        doc = new ObjectMapper()
                .readTree(RepoRoot.resolve("docs/test-vectors/openai-embeddings-v1.json")
                        .toFile());
        pub = Files.writeString(
                dir.resolve("pub.pem"), doc.at("/key/public_key_pem").asText());
    }

    private Run verify(byte[] body, String headers, String... more) throws Exception {
        Path b = Files.write(Files.createTempFile(dir, "body", ".json"), body);
        Path h = Files.writeString(Files.createTempFile(dir, "headers", ".txt"), headers, StandardCharsets.ISO_8859_1);
        String[] args = {"verify", "--body", b.toString(), "--headers", h.toString(), "--public-key", pub.toString()};
        String[] all = new String[args.length + more.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(more, 0, all, args.length, more.length);
        return run(all);
    }

    @Test
    void verify_everyCase_isValidUnderBothSchemes_andTheAllocatedIdIsChecked() throws Exception {
        for (JsonNode c : doc.get("header_cases")) {
            byte[] body = c.get("body").asText().getBytes(StandardCharsets.UTF_8);
            for (String field : new String[] {"rs256_headers", "ps256_headers"}) {
                Run r = verify(body, c.get(field).asText());
                assertThat(r.out().strip())
                        .as("%s %s: %s", c.get("name"), field, r.err())
                        .isEqualTo("valid");
                assertThat(r.exit()).isZero();
            }
            String id = c.get("request_id").asText();
            assertThat(verify(body, c.get("rs256_headers").asText(), "--request-id", id)
                            .exit())
                    .isZero();
            Run other = verify(body, c.get("rs256_headers").asText(), "--request-id", "req_someone_else");
            assertThat(other.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(other.out()).startsWith("invalid: REQUEST_ID");
        }
    }

    @Test
    void verify_everyNegativeCase_isInvalidAtItsCheck() throws Exception {
        for (JsonNode c : doc.get("negative_header_cases")) {
            Run r = verify(
                    Base64.getDecoder().decode(c.get("body_b64").asText()),
                    c.get("headers").asText());
            assertThat(r.exit()).as(c.get("name").asText()).isEqualTo(ExitCodes.CHECK_FAILED);
            assertThat(r.out())
                    .startsWith(
                            "invalid: " + c.get("expect_failed_check").asText().toUpperCase(Locale.ROOT) + ": ");
        }
    }

    @Test
    void verify_headersThatAreNotAHeaderBlock_isInvalidNotACrash() throws Exception {
        Run r = verify("{}".getBytes(StandardCharsets.US_ASCII), "HTTP/1.1 200 OK\r\nthis is not a header\r\n\r\n");
        assertThat(r.exit()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).startsWith("invalid: malformed envelope").contains("line 1");
    }

    @Test
    void verify_bodyWithoutHeadersOrWithAnEnvelope_isUsage() throws Exception {
        Path b = Files.writeString(dir.resolve("b.json"), "{}");
        assertThat(run("verify", "--body", b.toString(), "--public-key", pub.toString())
                        .exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run(
                                "verify",
                                b.toString(),
                                "--body",
                                b.toString(),
                                "--headers",
                                b.toString(),
                                "--public-key",
                                pub.toString())
                        .exit())
                .isEqualTo(ExitCodes.USAGE);
        assertThat(run("verify", b.toString(), "--request-id", "r", "--public-key", pub.toString())
                        .exit())
                .isEqualTo(ExitCodes.USAGE);
    }
}
