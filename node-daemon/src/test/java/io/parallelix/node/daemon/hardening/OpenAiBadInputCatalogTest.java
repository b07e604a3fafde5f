package io.parallelix.node.daemon.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.gpu.EmbeddingInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue of the OpenAI paths, beside BadInputCatalogTest's: one broken input per
 * line, over a real socket to a node on the fake engine. Each answer must be the status with an
 * OpenAI-shaped error ({@code error.message/type/param/code}) naming the field, no stack trace, and
 * the node must then serve a valid embeddings request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class OpenAiBadInputCatalogTest {
    static final int MAX_BODY = 1 << 20;
    private static final Pattern STACK_TRACE = Pattern.compile("Exception|\\tat |Caused by|\\b(java|io\\.netty)\\.");
    private static final String EMBED = "/v1/embeddings";
    private static final EmbeddingInfo INFO = new EmbeddingInfo(8, 32, 2000, "mean", true, false);

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private TestNode node;
    private int port;

    record Case(int status, String code, @Nullable String param, String fragment, byte[] request) {}

    private static Arguments c(
            String kind, int status, String code, @Nullable String param, String fragment, byte[] r) {
        return Arguments.of(kind, new Case(status, code, param, fragment, r));
    }

    private static Arguments bad(String kind, @Nullable String param, String fragment, String body) {
        return c(kind, 400, "invalid_request", param, fragment, embed(body));
    }

    private static byte[] embed(String body, String... headers) {
        return RawHttp.request("POST", EMBED, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static String input(String value) {
        return "{\"model\":\"e\",\"input\":" + value + "}";
    }

    Stream<Arguments> catalogue() {
        String ok = input("\"x\"");
        return Stream.of(
                c("http: GET on embeddings", 405, "method_not_allowed", null, "allowed: POST", RawHttp.get(EMBED)),
                c("http: unknown /v1 path", 404, "not_found", null, "/v1/nothing", RawHttp.get("/v1/nothing")),
                c("http: unknown model entry", 404, "not_found", null, "nope", RawHttp.get("/v1/models/nope")),
                c(
                        "http: text/plain",
                        415,
                        "unsupported_media_type",
                        null,
                        "application/json",
                        RawHttp.request("POST", EMBED, "text/plain", ok.getBytes(StandardCharsets.UTF_8))),
                c(
                        "http: body above the limit",
                        413,
                        "payload_too_large",
                        null,
                        "limit",
                        embed(input("\"" + "x".repeat(MAX_BODY) + "\""))),
                c(
                        "http: truncated body, client waits",
                        408,
                        "request_timeout",
                        null,
                        "read timeout",
                        "POST /v1/embeddings HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"
                                .getBytes(StandardCharsets.US_ASCII)),
                c(
                        "id: bad characters",
                        400,
                        "invalid_request",
                        "Pxnode-Request-Id",
                        "character",
                        embed(ok, "Pxnode-Request-Id", "req 1")),
                c(
                        "id: longer than 128",
                        400,
                        "invalid_request",
                        "Pxnode-Request-Id",
                        "129",
                        embed(ok, "Pxnode-Request-Id", "r".repeat(129))),
                c(
                        "id: twice",
                        400,
                        "invalid_request",
                        "Pxnode-Request-Id",
                        "once",
                        embed(ok, "Pxnode-Request-Id", "a", "Pxnode-Request-Id", "b")),
                c(
                        "model: unknown",
                        404,
                        "not_found",
                        null,
                        "unknown model 'nope'",
                        embed("{\"model\":\"nope\",\"input\":\"x\"}")),
                bad("model: missing", "model", "is required", "{\"input\":\"x\"}"),
                bad("model: a number", "model", "must be a string", "{\"model\":1,\"input\":\"x\"}"),
                bad("model: control characters", "model", "printable", "{\"model\":\"a\\nb\",\"input\":\"x\"}"),
                bad("model: a tensor model", "model", "is a tensor model", "{\"model\":\"add\",\"input\":\"x\"}"),
                bad("json: malformed", "input[1]", "malformed JSON", "{\"model\":\"e\",\"input\":[\"a\","),
                bad("json: not an object", null, "JSON object", "[\"e\"]"),
                bad("json: trailing content", null, "trailing", ok + "{}"),
                bad(
                        "json: duplicate input",
                        "input",
                        "Duplicate field",
                        "{\"model\":\"e\",\"input\":\"a\",\"input\":\"b\"}"),
                bad(
                        "json: unknown field",
                        "input_type",
                        "unknown field",
                        "{\"model\":\"e\",\"input\":\"a\",\"input_type\":\"q\"}"),
                bad("input: missing", "input", "is required", "{\"model\":\"e\"}"),
                bad("input: empty string", "input", "must not be empty", input("\"\"")),
                bad("input: empty array", "input", "empty array", input("[]")),
                bad("input: empty string item", "input[1]", "must not be empty", input("[\"a\",\"\"]")),
                bad("input: empty token array", "input[0]", "empty array", input("[[]]")),
                bad("input: null", "input", "must be a string", input("null")),
                bad("input: an object", "input", "got an object", input("{}")),
                bad("input: null item", "input[0]", "got null", input("[null]")),
                bad("input: mixed strings and ids", "input[1]", "like input[0]", input("[\"a\",1]")),
                bad("input: mixed arrays and strings", "input[1]", "token-id array", input("[[1],\"a\"]")),
                bad("input: ids then a string", "input[2]", "integer token id", input("[1,2,\"a\"]")),
                bad("input: negative id", "input[0][1]", "got -1", input("[[1,-1]]")),
                bad("input: fractional id", "input[0]", "non-integer", input("[1.5]")),
                bad("input: id above 2^31", "input[0]", "2147483648", input("[2147483648]")),
                bad("input: id at the vocabulary size", "input[1]", "vocabulary size 2000", input("[1,2000]")),
                bad("input: id beyond it in an array", "input[1][0]", "vocabulary", input("[[1],[5000]]")),
                bad("input: nested too deep", "input[0][0]", "got an array", input("[[[1]]]")),
                bad("input: unpaired surrogate", "input", "unpaired surrogate", input("\"a\\ud800\"")),
                c(
                        "input: invalid UTF-8",
                        400,
                        "invalid_request",
                        "input",
                        "UTF-8",
                        RawHttp.request(
                                "POST",
                                EMBED,
                                "application/json",
                                RawHttp.concat(
                                        "{\"model\":\"e\",\"input\":\"a".getBytes(StandardCharsets.US_ASCII),
                                        new byte[] {(byte) 0xC3, (byte) 0x28},
                                        "\"}".getBytes(StandardCharsets.US_ASCII)))),
                bad(
                        "input: too many inputs",
                        "input",
                        "more than 2048 inputs",
                        input("[" + String.join(",", Collections.nCopies(2049, "\"a\"")) + "]")),
                bad(
                        "input: too long for the model",
                        "input",
                        "more than the model's limit of 32",
                        input("\"" + "x".repeat(40) + "\"")),
                bad("input: one of many too long", "input[1]", "tokens", input("[\"a\",\"" + "x".repeat(40) + "\"]")),
                bad(
                        "encoding_format: unknown",
                        "encoding_format",
                        "float",
                        "{\"model\":\"e\",\"input\":\"x\",\"encoding_format\":\"int8\"}"),
                bad("dimensions: zero", "dimensions", ">= 1", "{\"model\":\"e\",\"input\":\"x\",\"dimensions\":0}"),
                bad(
                        "dimensions: on a model that cannot shorten",
                        "dimensions",
                        "cannot shorten",
                        "{\"model\":\"e\",\"input\":\"x\",\"dimensions\":4}"),
                bad("user: a number", "user", "must be a string", "{\"model\":\"e\",\"input\":\"x\",\"user\":1}"),
                bad(
                        "truncate: a string",
                        "truncate",
                        "true or false",
                        "{\"model\":\"e\",\"input\":\"x\",\"truncate\":\"y\"}"));
    }

    @BeforeAll
    void start() throws Exception {
        node = TestNode.start(
                dir,
                TestNode.newKey(),
                Map.of("server.max_body_bytes", Integer.toString(MAX_BODY), "server.read_timeout", "2s"),
                (config, clock) -> FakeEngine.of(List.of("add"), List.of(FakeEngine.embedding("e", INFO))));
        port = node.node.address().getPort();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void badInput_isAnOpenAiShapedError_andTheNodeKeepsServing(String kind, Case c) throws Exception {
        RawHttp.Response r;
        try {
            r = RawHttp.exchange(port, c.request());
        } catch (java.net.SocketException reset) {
            // a refusal from the headers (413) can race the rest of a large body on a stalled
            // machine: TCP may reset the sender before it reads the answer; once more is the client's retry
            r = RawHttp.exchange(port, c.request());
        }
        String body = r.text();
        assertThat(r.status()).as(body).isEqualTo(c.status());
        assertThat(r.header("content-type")).isEqualTo("application/json");
        JsonNode error = mapper.readTree(body).get("error");
        assertThat(error.properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("message", "type", "param", "code");
        assertThat(error.get("code").asText()).as(body).isEqualTo(c.code());
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").isNull() ? null : error.get("param").asText())
                .as(body)
                .isEqualTo(c.param());
        assertThat(error.get("message").asText()).as(body).contains(c.fragment());
        assertThat(STACK_TRACE.matcher(body).find()).as(body).isFalse();
        RawHttp.Response after = RawHttp.exchange(port, embed(input("[\"still\",\"serving\"]")));
        assertThat(after.status()).as(after.text()).isEqualTo(200);
        assertThat(after.header("pxnode-poe")).isNotNull();
    }
}
