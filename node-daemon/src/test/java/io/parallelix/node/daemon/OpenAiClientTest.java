package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.Verdict;
import io.parallelix.node.daemon.service.FakeEmbeddings;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.gpu.EmbeddingInfo;
import io.parallelix.node.gpu.EmbeddingInput;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI client (npm {@code openai}, scripts/refs) against a real node on loopback
 * (fake engine): embeddings.create in both encodings, the PoE headers read through the client's
 * raw response, and every answer it got verified by scripts/verify_envelope.py and by pxnode's
 * own verifier; one answer fetched with curl -D as an operator would. Needs node, python3 and
 * curl; fails, never skips, without them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiClientTest {
    private static final EmbeddingInfo INFO = new EmbeddingInfo(32, 64, 30522, "mean", true, true);
    private static final List<String> TEXTS =
            List.of("The quick brown fox", "jumps over the lazy dog", "caf\u00e9 \ud83d\ude00");

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private TestNode node;
    private Path out;
    private Path pub;
    private Subprocess.Result client;

    @BeforeAll
    void start() throws Exception {
        node = TestNode.start(
                dir,
                TestNode.newKey(),
                Map.of("server.replay_window", "10m"),
                (config, clock) -> FakeEngine.of(List.of("add"), List.of(FakeEngine.embedding("e", INFO))));
        pub = Files.writeString(dir.resolve("node.pub.pem"), KeyFiles.publicKeyPem(node.key.publicKey()));
        out = Files.createDirectories(dir.resolve("client"));
        client = Subprocess.of(
                        RepoRoot.path(),
                        "node",
                        "scripts/refs/openai_embeddings.mjs",
                        node.base + "/v1",
                        out.toString(),
                        "e")
                .withTimeout(Duration.ofSeconds(90))
                .run();
        if (client.exit() != 0) {
            fail("the OpenAI client script failed (node 20+ and scripts/refs.sh are needed): %s", client);
        }
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private JsonNode read(String file) throws Exception {
        return mapper.readTree(out.resolve(file).toFile());
    }

    private static float[] expected(String text) {
        return FakeEmbeddings.vector(FakeEmbeddings.tokens(new EmbeddingInput.Text(text)), INFO, 0);
    }

    /** The vectors as the client's user holds them: JavaScript numbers, each a float32 value. */
    private static float[] floats(JsonNode embedding) {
        float[] v = new float[embedding.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) embedding.get(i).doubleValue();
        }
        return v;
    }

    @Test
    void defaultCall_sendsBase64_andTheClientsUserGetsTheFloatVectors() throws Exception {
        assertThat(read("default.sent.json").get("encoding_format").asText()).isEqualTo("base64");
        JsonNode data = read("default.data.json").get("data");
        assertThat(data).hasSize(TEXTS.size());
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(floats(data.get(i).get("embedding"))).as(TEXTS.get(i)).containsExactly(expected(TEXTS.get(i)));
        }
        JsonNode body = mapper.readTree(out.resolve("default.body").toFile());
        assertThat(body.at("/data/0/embedding").isTextual()).isTrue(); // the wire carried base64
        assertThat(client.stdout()).contains("\"default\":{\"poe\":true,\"items\":3}");
    }

    @Test
    void floatCall_givesTheSameVectorsBitForBit() throws Exception {
        assertThat(read("float.sent.json").get("encoding_format").asText()).isEqualTo("float");
        JsonNode floatData = read("float.data.json").get("data");
        JsonNode defaultData = read("default.data.json").get("data");
        for (int i = 0; i < TEXTS.size(); i++) {
            assertThat(floats(floatData.get(i).get("embedding")))
                    .containsExactly(floats(defaultData.get(i).get("embedding")));
        }
        assertThat(read("float.data.json").at("/usage/prompt_tokens").asInt())
                .isEqualTo(TEXTS.stream()
                        .mapToInt(t -> t.getBytes(StandardCharsets.UTF_8).length + 2)
                        .sum());
    }

    @Test
    void everyAnswer_verifiesInThePythonReference_andItsEmbeddingsAreTheVectors() throws Exception {
        for (String call : List.of("default", "float", "direct")) {
            @Nullable String id = call.equals("direct") ? null : "req_openai_" + call;
            Subprocess.Result py = python(call, id);
            assertThat(py.exit()).as("%s: %s", call, py).isZero();
            String[] lines = py.stdout().split("\n", 2);
            assertThat(lines[0]).isEqualTo("valid");
            JsonNode printed = mapper.readTree(lines[1]);
            List<String> texts = call.equals("direct") ? List.of("hello") : TEXTS;
            assertThat(printed.get("encoding").asText()).isEqualTo(call.equals("float") ? "float" : "base64");
            for (int i = 0; i < texts.size(); i++) {
                assertThat(floats(printed.get("vectors").get(i))).containsExactly(expected(texts.get(i)));
            }
        }
        assertThat(SignedHeaders.parse(Files.readString(out.resolve("direct.headers"), StandardCharsets.ISO_8859_1))
                        .get("pxnode-request-id"))
                .singleElement()
                .asString()
                .matches("pxnode-[0-9a-f]{32}");
        Subprocess.Result wrongId = python("float", "req_openai_default");
        assertThat(wrongId.exit()).isEqualTo(1);
        assertThat(wrongId.stdout()).startsWith("invalid: request_id: ");
    }

    @Test
    void everyAnswer_verifiesInPxnodesVerifierToo_andATamperedBodyDoesNot() throws Exception {
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        for (String call : List.of("default", "float", "direct")) {
            byte[] body = Files.readAllBytes(out.resolve(call + ".body"));
            var headers =
                    SignedHeaders.parse(Files.readString(out.resolve(call + ".headers"), StandardCharsets.ISO_8859_1));
            assertThat(verifier.verifyHeaders(body, headers, node.key.publicKey()))
                    .as(call)
                    .isEqualTo(Verdict.ok());
            body[body.length / 2] ^= 1;
            assertThat(verifier.verifyHeaders(body, headers, node.key.publicKey())
                            .failed())
                    .isEqualTo(Verdict.Check.POE);
        }
    }

    @Test
    void errors_reachTheClientAsItsTypedErrors() throws Exception {
        JsonNode unknown = read("unknown-model.error.json");
        assertThat(unknown.get("class").asText()).isEqualTo("NotFoundError");
        assertThat(unknown.get("status").asInt()).isEqualTo(404);
        assertThat(unknown.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(unknown.get("code").asText()).isEqualTo("not_found");
        assertThat(unknown.get("message").asText()).contains("no-such-model");
        JsonNode empty = read("empty-input.error.json");
        assertThat(empty.get("class").asText()).isEqualTo("BadRequestError");
        assertThat(empty.get("param").asText()).isEqualTo("input");
        assertThat(empty.get("code").asText()).isEqualTo("invalid_request");
    }

    @Test
    void curl_dumpedHeadersAndBody_verifyAsTheProtocolSays() throws Exception {
        Path body = dir.resolve("curl.body");
        Path headers = dir.resolve("curl.headers");
        Subprocess.Result curl = Subprocess.of(
                        dir,
                        "curl",
                        "-sS",
                        "-D",
                        headers.toString(),
                        "-o",
                        body.toString(),
                        "-H",
                        "Content-Type: application/json",
                        "-H",
                        "Pxnode-Request-Id: req_curl_1",
                        "--data-binary",
                        "{\"model\":\"e\",\"input\":[\"a\",\"b\"],\"dimensions\":16}",
                        node.base + "/v1/embeddings")
                .run();
        assertThat(curl.exit()).as("curl is needed: %s", curl).isZero();
        Subprocess.Result py = Subprocess.of(
                        RepoRoot.path(),
                        "python3",
                        "scripts/verify_envelope.py",
                        "--body",
                        body.toString(),
                        "--headers",
                        headers.toString(),
                        "--public-key",
                        pub.toString(),
                        "--request-id",
                        "req_curl_1")
                .run();
        assertThat(py.stdout().strip()).as(py.toString()).isEqualTo("valid");
        assertThat(mapper.readTree(body.toFile()).at("/data/1/embedding").size())
                .isEqualTo(16);
        // the same id again: the replay guard refuses it, in OpenAI's shape
        Path againHeaders = dir.resolve("again.headers");
        Subprocess.Result again = Subprocess.of(
                        dir,
                        "curl",
                        "-sS",
                        "-D",
                        againHeaders.toString(),
                        "-H",
                        "Content-Type: application/json",
                        "-H",
                        "Pxnode-Request-Id: req_curl_1",
                        "--data-binary",
                        "{\"model\":\"e\",\"input\":\"a\"}",
                        node.base + "/v1/embeddings")
                .run();
        assertThat(mapper.readTree(again.stdout()).at("/error/code").asText()).isEqualTo("replayed_request");
        var head = SignedHeaders.parse(Files.readString(againHeaders, StandardCharsets.ISO_8859_1));
        assertThat(head.get("x-should-retry")).containsExactly("false"); // OpenAI's clients would retry a 409
        assertThat(head.get("pxnode-request-id")).containsExactly("req_curl_1");
    }

    private Subprocess.Result python(String call, @Nullable String requestId) {
        return verifyScript(out, call, pub, requestId);
    }

    /**
     * scripts/verify_envelope.py on the answer the client script saved as {@code call}.body and
     * .headers (EmbeddingsEndToEndTest uses it too), printing the embeddings after "valid".
     */
    static Subprocess.Result verifyScript(Path out, String call, Path pub, @Nullable String requestId) {
        List<String> cmd = new java.util.ArrayList<>(List.of(
                "python3",
                "scripts/verify_envelope.py",
                "--body",
                out.resolve(call + ".body").toString(),
                "--headers",
                out.resolve(call + ".headers").toString(),
                "--public-key",
                pub.toString(),
                "--print-embeddings"));
        if (requestId != null) {
            cmd.add("--request-id");
            cmd.add(requestId);
        }
        return Subprocess.of(RepoRoot.path(), cmd).run();
    }
}
