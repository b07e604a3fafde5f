package io.parallelix.node.daemon.http;

import static io.parallelix.node.daemon.http.TestPipeline.post;
import static io.parallelix.node.daemon.http.TestPipeline.send;
import static io.parallelix.node.daemon.http.TestPipeline.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.embedded.EmbeddedChannel;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.EmbeddingJson;
import io.parallelix.node.daemon.protocol.EmbeddingsRequest;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.service.FakeEmbeddings;
import io.parallelix.node.gpu.EmbeddingInput;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * /v1/embeddings and /v1/models through the whole pipeline on an EmbeddedChannel, on the fake
 * engine, tasks inline: the signed body and its headers, request ids, and every error in
 * OpenAI's shape with the node's statuses, while the node's own paths keep theirs.
 */
class OpenAiPipelineTest {
    private static final Json json = new Json(1 << 20);
    private static final NodeMetrics metrics = new NodeMetrics();
    private static NodeKey key;
    private static ResultSigner signer;

    @BeforeAll
    static void keys() throws Exception {
        key = TestNode.newKey();
        signer = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK);
    }

    private static EmbeddedChannel channel() {
        return channel(OpenAiServing.serving(signer, key, Runnable::run, 4, 10_000, metrics));
    }

    private static EmbeddedChannel channel(@Nullable Serving serving) {
        return TestPipeline.channel(serving, 1 << 16, 8192, json.mapper(), metrics);
    }

    private static String embeddings(String body, String... headers) {
        String extra = String.join("", headers);
        return post("/v1/embeddings", "application/json", body).replaceFirst("\r\n", "\r\n" + extra);
    }

    private static Answer exchange(EmbeddedChannel ch, String raw) {
        send(ch, raw);
        return Answer.parse(written(ch));
    }

    @Test
    void embeddings_float_bodyIsTheSignedResultAndVerifiesWithItsHeaders() throws Exception {
        EmbeddedChannel ch = channel();
        Answer a = exchange(
                ch,
                embeddings("{\"input\":[\"hello\",\"world\"],\"model\":\"e\"}", "Pxnode-Request-Id: req_01HZZZ\r\n"));
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).isEqualTo("application/json");
        assertThat(a.header("pxnode-request-id")).isEqualTo("req_01HZZZ");
        assertThat(a.header("pxnode-result-format")).isEqualTo("openai.embeddings.v1+json");
        assertThat(a.header("pxnode-poe-version")).isEqualTo("1");
        assertThat(a.header("pxnode-meta")).contains("\"model\":\"e\"");
        byte[] expected = EmbeddingJson.write(
                "e",
                List.of(vector("hello"), vector("world")),
                EmbeddingsRequest.Encoding.FLOAT,
                2 * 2 + "helloworld".length());
        String written = new String(expected, StandardCharsets.UTF_8);
        assertThat(new String(a.body(), StandardCharsets.UTF_8)) // then the signed runtime fingerprint
                .startsWith(written.substring(0, written.length() - 1)
                        + ",\"pxnode\":{\"runtime\":{\"compute_capability\":")
                .endsWith("}}}");
        assertThat(new EnvelopeVerifier(CryptoProvider.JDK).verifyHeaders(a.body(), a.headers(), key.publicKey()))
                .isEqualTo(io.parallelix.node.crypto.Verdict.ok());
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void embeddings_withoutARequestId_getsOneTheNodeAllocated_eachDifferent() {
        EmbeddedChannel ch = channel();
        String body = "{\"model\":\"e\",\"input\":\"hi\",\"encoding_format\":\"base64\"}";
        Answer first = exchange(ch, embeddings(body));
        Answer second = exchange(ch, embeddings(body));
        assertThat(first.header("pxnode-request-id")).matches("pxnode-[0-9a-f]{32}");
        assertThat(second.header("pxnode-request-id"))
                .matches("pxnode-[0-9a-f]{32}")
                .isNotEqualTo(first.header("pxnode-request-id"));
        assertThat(first.body()).isEqualTo(second.body()); // same vectors, same bytes
        for (Answer a : List.of(first, second)) {
            assertThat(new EnvelopeVerifier(CryptoProvider.JDK)
                            .verifyHeaders(a.body(), a.headers(), key.publicKey())
                            .valid())
                    .isTrue();
        }
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void errors_onOpenAiPaths_areInOpenAisShapeWithTheNodesStatuses() throws Exception {
        EmbeddedChannel ch = channel();
        String ok = "{\"model\":\"e\",\"input\":\"hi\"}";
        expectError(exchange(ch, embeddings("{\"model\":\"nope\",\"input\":\"x\"}")), 404, "not_found", null);
        expectError(exchange(ch, embeddings("{\"model\":\"add\",\"input\":\"x\"}")), 400, "invalid_request", "model");
        expectError(exchange(ch, embeddings("{\"model\":\"e\",\"input\":[]}")), 400, "invalid_request", "input");
        expectError(exchange(ch, embeddings("{\"input\":\"x\"}")), 400, "invalid_request", "model");
        expectError(
                exchange(ch, embeddings(ok, "Pxnode-Request-Id: bad id\r\n")),
                400,
                "invalid_request",
                "Pxnode-Request-Id");
        expectError(
                exchange(ch, embeddings(ok, "Pxnode-Request-Id: a\r\nPxnode-Request-Id: b\r\n")),
                400,
                "invalid_request",
                "Pxnode-Request-Id");
        expectError(exchange(ch, post("/v1/embeddings", "text/plain", ok)), 415, "unsupported_media_type", null);
        expectError(exchange(ch, "GET /v1/embeddings HTTP/1.1\r\nHost: x\r\n\r\n"), 405, "method_not_allowed", null);
        expectError(exchange(ch, "GET /v1/models/nope HTTP/1.1\r\nHost: x\r\n\r\n"), 404, "not_found", null);
        expectError(exchange(ch, "GET /v1/nothing HTTP/1.1\r\nHost: x\r\n\r\n"), 404, "not_found", null);
        Answer nan =
                exchange(ch, embeddings("{\"model\":\"e\",\"input\":\"fake:nan\"}", "Pxnode-Request-Id: r-nan\r\n"));
        expectError(nan, 500, "model_failed", null);
        assertThat(nan.json().at("/error/type").asText()).isEqualTo("server_error");
        assertThat(nan.header("pxnode-request-id")).isEqualTo("r-nan");
        assertThat(nan.header("x-should-retry")).isEqualTo("false");
        Answer tooLong = exchange(ch, embeddings("{\"model\":\"e\",\"input\":[\"ok\",\"" + "x".repeat(40) + "\"]}"));
        expectError(tooLong, 400, "invalid_request", "input[1]");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void errors_bodyTooLargeAndDeadline_areOpenAiShapedToo() {
        EmbeddedChannel big = channel();
        String huge = "{\"model\":\"e\",\"input\":\"" + "x".repeat(1 << 16) + "\"}";
        expectError(exchange(big, embeddings(huge)), 413, "payload_too_large", null);
        assertFalse(big.finishAndReleaseAll());

        EmbeddedChannel slow = channel(OpenAiServing.serving(signer, key, Runnable::run, 4, 200, metrics));
        Answer a = exchange(slow, embeddings("{\"model\":\"e\",\"input\":\"fake:sleep:5000\"}"));
        expectError(a, 504, "deadline_exceeded", null);
        assertThat(a.json().at("/error/type").asText()).isEqualTo("server_error");
        assertFalse(slow.finishAndReleaseAll());
    }

    @Test
    void errors_queueFull_is503WithRetryAfter_inOpenAisShape() {
        List<Runnable> parked = new ArrayList<>();
        Executor never = parked::add; // admitted, never run: the model's one slot stays taken
        Serving serving = OpenAiServing.serving(signer, key, never, 1, 10_000, metrics);
        EmbeddedChannel first = channel(serving);
        send(first, embeddings("{\"model\":\"e\",\"input\":\"a\"}"));
        assertThat(written(first)).isEmpty();
        EmbeddedChannel second = channel(serving);
        Answer a = exchange(second, embeddings("{\"model\":\"e\",\"input\":\"b\"}"));
        expectError(a, 503, "overloaded", null);
        assertThat(a.header("retry-after")).isEqualTo("1");
        assertThat(a.header("x-should-retry")).isNull(); // busy: the client may retry
        parked.forEach(Runnable::run);
        assertThat(Answer.parse(written(first)).status()).isEqualTo(200);
        assertFalse(first.finishAndReleaseAll());
        assertFalse(second.finishAndReleaseAll());
    }

    @Test
    void models_listsEveryModelWithItsTask() throws Exception {
        EmbeddedChannel ch = channel();
        JsonNode list =
                exchange(ch, "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n").json();
        assertThat(list.get("object").asText()).isEqualTo("list");
        assertThat(list.get("data")).hasSize(2);
        JsonNode add = list.at("/data/0");
        assertThat(add.get("id").asText()).isEqualTo("add");
        assertThat(add.get("task").asText()).isEqualTo("tensor");
        assertThat(add.has("dimensions")).isFalse();
        JsonNode e = list.at("/data/1");
        assertThat(e.get("object").asText()).isEqualTo("model");
        assertThat(e.get("created").asLong()).isZero();
        assertThat(e.get("owned_by").asText()).isEqualTo("pxnode");
        assertThat(e.get("task").asText()).isEqualTo("embedding");
        assertThat(e.get("dimensions").asInt()).isEqualTo(8);
        assertThat(e.get("max_tokens").asInt()).isEqualTo(16);
        assertThat(e.get("truncatable_dimensions").asBoolean()).isFalse();
        JsonNode one =
                exchange(ch, "GET /v1/models/e HTTP/1.1\r\nHost: x\r\n\r\n").json();
        assertThat(one).isEqualTo(e);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void nodePaths_keepTheNodesErrorShape() throws Exception {
        EmbeddedChannel ch = channel();
        JsonNode oip = exchange(ch, post("/v2/models/nope/infer", "application/json", "{}"))
                .json();
        assertThat(oip.get("code").asText()).isEqualTo("not_found");
        assertThat(oip.get("error").isTextual()).isTrue();
        JsonNode node = exchange(ch, "POST /v1/node HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
                .json();
        assertThat(node.get("code").asText()).isEqualTo("method_not_allowed");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void whileLoading_openAiPathsAre503InOpenAisShape() throws Exception {
        EmbeddedChannel ch = channel(null);
        Answer models = exchange(ch, "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n");
        expectError(models, 503, "overloaded", null);
        Answer embed = exchange(ch, embeddings("{\"model\":\"e\",\"input\":\"x\"}"));
        expectError(embed, 503, "overloaded", null);
        assertThat(exchange(ch, "GET /v2 HTTP/1.1\r\nHost: x\r\n\r\n")
                        .json()
                        .get("code")
                        .asText())
                .isEqualTo("overloaded");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void metrics_countEmbeddingsByTheModelInTheBody() throws Exception {
        EmbeddedChannel ch = channel();
        exchange(ch, embeddings("{\"model\":\"e\",\"input\":\"count me\"}"));
        exchange(ch, embeddings("{\"model\":\"someone-elses\",\"input\":\"x\"}"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        String scrape = out.toString(StandardCharsets.UTF_8);
        assertThat(scrape)
                .contains("pxnode_requests_total{endpoint=\"embeddings\",model=\"e\",outcome=\"ok\"}")
                .contains("pxnode_requests_total{endpoint=\"embeddings\",model=\"_unknown\",outcome=\"not_found\"}")
                .contains("pxnode_stage_seconds_count{model=\"e\",stage=\"run\"}")
                .doesNotContain("someone-elses")
                .doesNotContain("count me");
        assertFalse(ch.finishAndReleaseAll());
    }

    /** The test logging writes to System.out (logback-test.xml's console appender looks it up on each write). */
    @Test
    void logs_neverHoldTheInputText() {
        String secret = "zebra-7f3a-secret";
        java.io.PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            EmbeddedChannel ch = channel();
            for (String input : List.of(
                    "\"" + secret + "\"",
                    "[\"" + secret + "\",\"fake:nan " + secret + "\"]",
                    "[\"" + secret.repeat(4) + "\"]",
                    "[\"" + secret + "\",3]",
                    "\"fake:fail " + secret + "\"")) {
                exchange(ch, embeddings("{\"model\":\"e\",\"input\":" + input + "}"));
            }
            assertFalse(ch.finishAndReleaseAll());
        } finally {
            System.setOut(stdout);
        }
        String logs = captured.toString(StandardCharsets.UTF_8);
        assertThat(logs)
                .contains("endpoint=embeddings model=e")
                .contains("status=500")
                .contains("status=400");
        assertThat(logs).doesNotContain(secret);
    }

    private static void expectError(Answer a, int status, String code, @Nullable String param) {
        assertThat(a.status()).as(a.text()).isEqualTo(status);
        JsonNode error = a.json().get("error");
        assertThat(error.isObject()).as(a.text()).isTrue();
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("message").asText()).isNotEmpty();
        assertThat(error.get("type").asText()).isIn("invalid_request_error", "server_error");
        assertThat(error.get("param").isNull() ? null : error.get("param").asText())
                .isEqualTo(param);
        assertThat(error.size()).isEqualTo(4);
    }

    private static float[] vector(String text) {
        return FakeEmbeddings.vector(FakeEmbeddings.tokens(new EmbeddingInput.Text(text)), OpenAiServing.EMBEDDING, 0);
    }
}
