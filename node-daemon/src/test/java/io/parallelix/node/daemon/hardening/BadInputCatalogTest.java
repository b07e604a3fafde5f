package io.parallelix.node.daemon.hardening;

import static io.parallelix.node.daemon.hardening.RawHttp.concat;
import static io.parallelix.node.daemon.hardening.RawHttp.get;
import static io.parallelix.node.daemon.hardening.RawHttp.postJson;
import static io.parallelix.node.daemon.hardening.RawHttp.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.util.ResourceLeakDetector;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.hardening.RawHttp.Response;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.IOException;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue (issue 7): one kind of broken or hostile input per line, sent to a real
 * node on loopback. Each answer must be the documented status with a JSON error body
 * ({@code error}, {@code code}, {@code request_id}) and no stack trace, or, for clients that never
 * finish a request or never read, a dropped connection; and the node must then answer a valid
 * request. No 500 anywhere, no hang (every socket read is bounded), no Netty leak report.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class BadInputCatalogTest {
    static final int MAX_BODY = 16 << 20;
    static final int MAX_CONNECTIONS = 8;
    /** The expected "status" of a client that is dropped without a (whole) answer. */
    static final int DROPPED = 0;

    private static final Map<Integer, String> CODES = Map.of(
            400, "invalid_request",
            404, "not_found",
            405, "method_not_allowed",
            408, "request_timeout",
            409, "model_pin_mismatch",
            413, "payload_too_large",
            415, "unsupported_media_type",
            431, "header_too_large",
            503, "overloaded");
    private static final Pattern STACK_TRACE = Pattern.compile(
            "Exception|\\tat |Caused by|\\b(java|javax|io\\.netty|com\\.fasterxml|ai\\.onnxruntime)\\.");

    private static final String INFER = "/v2/models/add/infer";
    private static final String POST = "POST " + INFER;
    private static final String JSON = "application/json";
    private static final String OCTETS = "application/octet-stream";
    private static final String OUT = ",\"outputs\":[";
    private static final String CT = "Content-Type: " + JSON;
    private static final String OVER = "Content-Length: " + (MAX_BODY + 1);
    private static final String LEN2 = "Content-Length: 2";
    private static final String CONTINUE = "Expect: 100-continue";
    private static final String CHUNKED = "Transfer-Encoding: chunked";
    private static final String BAD_HTTP = "malformed HTTP request";
    private static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    private static final String X20K = "x".repeat(20_000);
    private static final String DEEP = "[".repeat(5000) + "]".repeat(5000);
    private static final String LONE = "[\"\\ud800\",\"\\udc00\\ud800\"]";
    private static final String NEST17 = "[".repeat(17) + "1" + "]".repeat(17);
    private static final byte[] BAD_UTF8 = {(byte) 0xC3, (byte) 0x28};
    private static final String A = tensor("a", "[1,4]", "FP32", "[1,2,3,4]");
    private static final String B = tensor("b", "[1,4]", "FP32", "[5,6,7,8]");
    private static final String BIN = sizes(16, 16);
    private static final String BOTH = BIN.replaceFirst("\"parameters\"", "\"data\":[1,2,3,4],\"parameters\"");
    private static final byte[] LONG_BYTES = concat(le(3), ascii("abc"), le(1000), ascii("x"));
    private static final byte[] BAD_BYTES = concat(le(1), new byte[] {(byte) 0xFF}, le(1), ascii("x"));

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger valid = new AtomicInteger();
    private TestNode node;
    private LeakWatch leaks;
    private int port;

    /** How one bad input is sent; returns the answer to check (status DROPPED: none came). */
    @FunctionalInterface
    interface Exchange {
        Response send(BadInputCatalogTest t) throws Exception;
    }

    record Case(int status, String fragment, Exchange exchange) {}

    /** One line of the catalogue: the kind, the status (its code follows), a fragment of the message. */
    private static Arguments c(String kind, int status, String fragment, Exchange exchange) {
        return Arguments.of(kind, new Case(status, fragment, exchange));
    }

    /** A line whose exchange is: send these bytes on a new connection, read one answer. */
    private static Arguments c(String kind, int status, String fragment, byte[] request) {
        return c(kind, status, fragment, t -> RawHttp.exchange(t.port, request));
    }

    Stream<Arguments> catalogue() {
        return Stream.of(
                // HTTP
                c("http: GET on the infer endpoint", 405, "allowed: POST", get(INFER)),
                c("http: DELETE on a GET endpoint", 405, "allowed: GET", head("DELETE /v2/health/live")),
                c("http: unknown method token", 405, "BREW", head("BREW /v2")),
                c("http: unknown path", 404, "/nowhere", get("/nowhere")),
                c("http: dot segments in the model path", 404, "no endpoint", get("/v2/models/../infer")),
                c("http: malformed percent-encoding in the path", 400, "path: malformed", get("/v2/models/%zz/infer")),
                c("http: missing Content-Type", 415, "Content-Type is required", post(null, valid("x"))),
                c("http: wrong Content-Type", 415, "text/plain", post("text/plain", valid("x"))),
                c("http: octet-stream without the header length", 415, "application/json", post(OCTETS, "{}")),
                c("http: challenge as text/plain", 415, "application/json", challenge("text/plain", "{}")),
                c("http: declared Content-Length above the limit", 413, "limit", head(POST, CT, OVER)),
                c("http: body above the limit, Expect: 100-continue", 413, "limit", head(POST, CT, OVER, CONTINUE)),
                c(
                        "http: Expect other than 100-continue",
                        400,
                        "Expect: only 100-continue",
                        head(POST, CT, LEN2, "Expect: 1")),
                c("http: body above the limit, sent whole", 413, "limit", BadInputCatalogTest::wholeBodyOverLimit),
                c("http: chunked body above the limit", 413, "limit", BadInputCatalogTest::chunkedOverLimit),
                c("http: truncated body, client waits", 408, "read timeout", BadInputCatalogTest::truncatedBody),
                c("http: header above max_header_bytes", 431, "too long", head("GET /v2", "X-Big: " + X20K)),
                c("http: request line above the limit", 431, "too long", get("/v2/" + X20K)),
                c("http: Content-Length and chunked together", 400, BAD_HTTP, head(POST, CT, LEN2, CHUNKED)),
                c("http: Content-Length not a number", 400, BAD_HTTP, head(POST, CT, "Content-Length: 1x")),
                c("http: two different Content-Lengths", 400, BAD_HTTP, head(POST, CT, LEN2, "Content-Length: 3")),
                c("http: chunk size not hex", 400, BAD_HTTP, concat(head(POST, CT, CHUNKED), ascii("zz\r\n{}"))),
                c("http: header name with a space", 400, BAD_HTTP, head("GET /v2", "Bad Name: 1")),
                c("http: NUL in a header value", 400, BAD_HTTP, head("GET /v2", "X-A: a\0b")),
                c("http: TLS ClientHello on the plain port", 400, BAD_HTTP, tlsClientHello()),
                c("http: HTTP/1.0, answered then closed", 400, "malformed JSON", BadInputCatalogTest::http10),
                c("http: pipelined requests, answered in order", 404, "/nowhere", BadInputCatalogTest::pipelined),
                c("http: headers trickling a byte per 400 ms", 408, "read timeout", BadInputCatalogTest::trickle),
                c("http: connection that never sends a byte", DROPPED, "", BadInputCatalogTest::silent),
                c("http: client that never reads its answer", DROPPED, "", BadInputCatalogTest::neverReads),
                c("http: more connections than allowed", 503, "too many", BadInputCatalogTest::tooManyConnections),
                // JSON
                c("json: malformed", 400, "malformed JSON", infer("{\"id\":\"bad-1\",\"inputs\":[")),
                c("json: empty body", 400, "JSON object", infer("")),
                c("json: an array, not an object", 400, "JSON object", infer("[" + valid("x") + "]")),
                c("json: a string, not an object", 400, "JSON object", infer("\"hello\"")),
                c("json: content after the object", 400, "trailing", infer(valid("x") + "{}")),
                c("json: invalid UTF-8", 400, "JSON", post(JSON, concat(ascii("{\"id\":\""), BAD_UTF8, ascii("\"}")))),
                c(
                        "json: nested 5000 deep in parameters",
                        400,
                        "limit",
                        infer(top(",\"parameters\":{\"x\":" + DEEP + "}"))),
                c("json: data nested deeper than 16", 400, "nested deeper", infer(data(NEST17))),
                c("json: a 1000-digit number", 400, "limit", infer(data("[" + "9".repeat(1000) + ",2,3,4]"))),
                c("json: FP32 element 1e400", 400, "data[0]: number out of range", infer(data("[1e400,2,3,4]"))),
                c("json: FP32 element 1e39", 400, "data[1]: number out of range", infer(data("[1,1e39,3,4]"))),
                c("json: INT64 element above 2^63", 400, "integer out", types("int64", "[9223372036854775808,1]")),
                c("json: INT8 element 128", 400, "data[1]: integer 128 out of range", types("int8", "[1,128]")),
                c("json: INT32 element 1.5", 400, "data[0]: expected an integer", types("int32", "[1.5,1]")),
                c("json: BOOL element 2", 400, "data[0]: BOOL elements must be", types("bool", "[2,true]")),
                c("json: duplicate top-level key", 400, "Duplicate field 'id'", infer(top(",\"id\":\"bad-2\""))),
                c("json: duplicate key in a tensor", 400, "Duplicate field 'name'", infer(a("{", "{\"name\":\"b\","))),
                c("json: id a number", 400, "id: must be a string", infer("{\"id\":42,\"inputs\":[]}")),
                c("json: inputs an object", 400, "inputs: must be an array", infer("{\"id\":\"x\",\"inputs\":{}}")),
                c("json: input a string", 400, "inputs[0]: must be an object", infer(req("\"a\"", B))),
                c("json: name a number", 400, "inputs[0].name: must be a string", infer(a("\"a\"", "7"))),
                c("json: datatype a number", 400, "inputs[0].datatype: must be", infer(a("\"FP32\"", "32"))),
                c("json: shape a string", 400, "inputs[0].shape: must be an array", infer(a("[1,4]", "\"1x4\""))),
                c("json: shape element 1.5", 400, "inputs[0].shape[0]: must be", infer(a("[1,4]", "[1.5,4]"))),
                c("json: shape element a string", 400, "inputs[0].shape[1]: must be", infer(a("[1,4]", "[1,\"4\"]"))),
                c("json: data a string", 400, "inputs[0].data: must be an array", infer(data("\"1\""))),
                c("json: FP32 element a string", 400, "data[2]: expected a number", infer(data("[1,2,\"3\",4]"))),
                c("json: FP32 element null", 400, "data[0]: expected a number, got null", infer(data("[null,2,3,4]"))),
                c("json: FP32 element an object", 400, "data[3]: expected a number", infer(data("[1,2,3,{}]"))),
                c("json: parameters an array", 400, "parameters: must be an object", infer(top(",\"parameters\":[]"))),
                c("json: outputs an object", 400, "outputs: must be an array", infer(top(",\"outputs\":{}"))),
                c("json: output name a number", 400, "outputs[0].name: must be", infer(top(OUT + "{\"name\":1}]"))),
                c("json: model_sha256 not hex", 400, "model_sha256: must be 64 hex", infer(top(pin("g".repeat(64))))),
                c("json: model_sha256 of another model", 409, "the request pins", infer(top(pin("0".repeat(64))))),
                c("json: unknown top-level field", 400, "extra: unknown field", infer(top(",\"extra\":1"))),
                c("json: unknown tensor field", 400, "inputs[0].extra: unknown field", infer(a("{", "{\"extra\":1,"))),
                c("json: missing id", 400, "id: is required", infer("{\"inputs\":[" + A + "," + B + "]}")),
                c("json: id with characters outside the set", 400, "id:", infer(valid("bad id/..;"))),
                c("json: id longer than 128", 400, "id:", infer(valid("x".repeat(129)))),
                c("json: empty id", 400, "id:", infer(valid(""))),
                c("json: unknown model", 404, "unknown model 'nope'", postJson("/v2/models/nope/infer", valid("x"))),
                c("json: unknown input name", 400, "has no input 'c'", infer(req(A, B.replace("\"b\"", "\"c\"")))),
                c("json: missing input", 400, "missing input 'b'", infer(req(A))),
                c("json: input given twice", 400, "given twice", infer(req(A, A, B))),
                c("json: no inputs", 400, "at least one input", infer(req())),
                c("json: unknown output", 400, "has no output 'nope'", infer(top(OUT + "{\"name\":\"nope\"}]"))),
                c("json: wrong datatype", 400, "expects FP32, given INT32", infer(a("FP32", "INT32"))),
                c("json: unknown datatype", 400, "unknown datatype 'FP128'", infer(a("FP32", "FP128"))),
                c("json: wrong rank", 400, "expects rank 2", infer(a("[1,4]", "[4]"))),
                c("json: wrong fixed dimension", 400, "dimension 1 must be 4", infer(a("[1,4]", "[2,2]"))),
                c("json: negative dimension", 400, "shape[0]: must be >= 0", infer(a("[1,4]", "[-1,4]"))),
                c("json: rank above 16", 400, "rank above 16", infer(a("[1,4]", "[1" + ",1".repeat(16) + "]"))),
                c("json: zero beside a huge dimension", 400, "must be 4", infer(shape("[0,2147483648]", "[]"))),
                c("json: dimension above 2^63", 400, "shape[0]: must be", infer(a("[1,4]", "[9223372036854775808,4]"))),
                c("json: shape product above 2^31", 400, "more than 2147483647", infer(shape("[1073741824,4]", "[1]"))),
                c("json: shape product above 2^63", 400, "overflows", infer(shape("[4,4611686018427387904]", "[1]"))),
                c("json: data shorter than the shape", 400, "needs 4 elements, got 3", infer(data("[1,2,3]"))),
                c("json: data longer than the shape", 400, "needs 4 elements, got 5", infer(data("[1,2,3,4,5]"))),
                c("json: NaN literal", 400, "malformed JSON", infer(data("[NaN,2,3,4]"))),
                c("json: Infinity literal", 400, "malformed JSON", infer(data("[1,Infinity,3,4]"))),
                c("json: -Infinity literal", 400, "malformed JSON", infer(data("[1,2,-Infinity,4]"))),
                c("json: NaN as a string", 400, "data[0]: expected a number", infer(data("[\"NaN\",2,3,4]"))),
                c("json: BYTES elements not strings", 400, "BYTES elements must be strings", types("bytes", "[1,2]")),
                c(
                        "json: BYTES element a lone surrogate",
                        400,
                        "data[0]: BYTES element has an unpaired",
                        types("bytes", LONE)),
                c("json: BYTES element with NUL", 400, "U+0000", types("bytes", "[\"a\\u0000b\",\"x\"]")),
                c("json: more than 256 inputs", 400, "more than 256", infer(req(Collections.nCopies(257, A)))),
                // binary tensor extension
                c("binary: header length past the body", 400, HEADER_LENGTH, binary(BIN, 8, "9999")),
                c("binary: header length 0", 400, HEADER_LENGTH, binary(BIN, 8, "0")),
                c("binary: header length negative", 400, HEADER_LENGTH, binary(BIN, 8, "-5")),
                c("binary: header length not a number", 400, HEADER_LENGTH, binary(BIN, 8, "ten")),
                c("binary: header length cutting the JSON", 400, "malformed JSON", binary(BIN, 8, "20")),
                c("binary: binary_data_size not the shape's", 400, "needs 16 bytes", binary(sizes(12, 20), 8, null)),
                c("binary: binary_data_size past the end", 400, "left in the body", binary(BIN, 6, null)),
                c("binary: binary_data_size negative", 400, "non-negative integer", binary(sizes(-16, 16), 8, null)),
                c("binary: binary_data_size a string", 400, "non-negative", binary(sizes("\"16\"", 16), 8, null)),
                c("binary: bytes left over", 400, "4 bytes left over", binary(BIN, 9, null)),
                c("binary: binary_data_size without header", 400, "needs the Inference", infer(BIN)),
                c("binary: data and binary_data_size", 400, "both data and binary_data_size", binary(BOTH, 8, null)),
                c("binary: BYTES length past the end", 400, "declares 1000 bytes", binaryTypes("bytes", LONG_BYTES)),
                c("binary: BYTES element not UTF-8", 400, "not valid UTF-8", binaryTypes("bytes", BAD_BYTES)),
                c("binary: BOOL byte 2", 400, "BOOL element 1 is 2", binaryTypes("bool", new byte[] {1, 2})),
                // the key challenge
                c("challenge: nonce missing", 400, "nonce: is required", challenge(JSON, "{}")),
                c("challenge: nonce null", 400, "nonce: is required", challenge(JSON, "{\"nonce\":null}")),
                c("challenge: body null", 400, "nonce: is required", challenge(JSON, "null")),
                c("challenge: nonce not hex", 400, "nonce: must be hex", challenge(JSON, nonce("zz".repeat(16)))),
                c("challenge: nonce not a string", 400, "nonce:", challenge(JSON, "{\"nonce\":[1]}")),
                c("challenge: nonce above 1024 bytes", 400, "16 to 1024", challenge(JSON, nonce("ab".repeat(1025)))),
                c("challenge: malformed JSON", 400, "nonce:", challenge(JSON, "{\"nonce\":")));
    }

    @BeforeAll
    void start() throws Exception {
        assertThat(ResourceLeakDetector.getLevel())
                .as("the test JVM runs Netty's leak detector at paranoid (surefire argLine)")
                .isEqualTo(ResourceLeakDetector.Level.PARANOID);
        leaks = LeakWatch.install();
        Path models = dir.resolve("models");
        TestModels.writeAdd(models);
        TestModels.writeAllTypes(models);
        node = TestNode.start(
                dir,
                TestNode.newKey(),
                Map.of(
                        "server.max_body_bytes", Integer.toString(MAX_BODY),
                        "server.max_connections", Integer.toString(MAX_CONNECTIONS),
                        "server.read_timeout", "1s",
                        "server.write_timeout", "1s",
                        "server.idle_timeout", "2s",
                        "server.request_timeout", "20s"));
        port = node.node.address().getPort();
    }

    @AfterAll
    void stop() throws Exception {
        try {
            String metrics = RawHttp.exchange(port, get("/metrics")).text();
            assertThat(metrics)
                    .as("no bad input may count as a node fault")
                    .doesNotContain("outcome=\"internal_error\"")
                    .doesNotContain("outcome=\"model_failed\"");
        } finally {
            node.close();
        }
        try (LeakWatch w = leaks) {
            assertThat(w.leaks()).as("Netty leak reports").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void badInput_isAnsweredOrDropped_andTheNodeKeepsServing(String kind, Case c) throws Exception {
        Response r = c.exchange.send(this);
        if (c.status == DROPPED) {
            assertThat(r.status()).as(kind).isEqualTo(DROPPED);
        } else {
            String body = r.text();
            assertThat(r.status()).as(body).isEqualTo(c.status);
            assertThat(r.header("content-type")).as(body).isEqualTo("application/json");
            JsonNode json = mapper.readTree(body);
            assertThat(json.properties()).extracting(Map.Entry::getKey).containsExactly("error", "code", "request_id");
            assertThat(json.get("code").asText()).as(body).isEqualTo(CODES.get(c.status));
            assertThat(json.get("error").asText()).as(body).contains(c.fragment);
            assertThat(json.get("request_id").isNull() || json.get("request_id").isTextual())
                    .isTrue();
            assertThat(STACK_TRACE.matcher(body).find()).as(body).isFalse();
            if (c.status == 503) {
                assertThat(r.header("retry-after")).isNotNull();
            }
            if (c.status == 405) {
                assertThat(r.header("allow")).isNotNull();
            }
        }
        assertServes();
    }

    /** A valid request on a new connection is answered with a signed envelope. */
    private void assertServes() throws Exception {
        String id = "after-" + valid.incrementAndGet();
        Response r = RawHttp.exchange(port, postJson(INFER, valid(id)));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        assertThat(mapper.readTree(r.body()).get("request_id").asText()).isEqualTo(id);
    }

    // ---- requests

    static byte[] infer(String json) {
        return postJson(INFER, json);
    }

    static byte[] post(String contentType, String body) {
        return post(contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] post(String contentType, byte[] body) {
        return request("POST", INFER, contentType, body);
    }

    static byte[] challenge(String contentType, String body) {
        return request("POST", "/v1/node/challenge", contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    /** One input of "alltypes", e.g. in_int8 (the others missing: the checks under test come first). */
    static byte[] types(String type, String data) {
        return postJson(
                "/v2/models/alltypes/infer", req(tensor("in_" + type, "[1,2]", type.toUpperCase(Locale.ROOT), data)));
    }

    /** JSON then {@code floats} little-endian floats; headerLength null: the JSON's own length. */
    static byte[] binary(String json, int floats, String headerLength) {
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        String n = headerLength == null ? Integer.toString(head.length) : headerLength;
        return request("POST", INFER, OCTETS, concat(head, floats(floats)), HEADER_LENGTH, n);
    }

    static byte[] binaryTypes(String type, byte[] data) {
        String json = "{\"id\":\"bad-1\",\"inputs\":[{\"name\":\"in_" + type + "\",\"shape\":[1,2],\"datatype\":\""
                + type.toUpperCase(Locale.ROOT) + "\",\"parameters\":{\"binary_data_size\":" + data.length + "}}]}";
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        return request(
                "POST",
                "/v2/models/alltypes/infer",
                OCTETS,
                concat(head, data),
                HEADER_LENGTH,
                Integer.toString(head.length));
    }

    // ---- the exchanges that need more than one request and one answer

    static Response wholeBodyOverLimit(BadInputCatalogTest t) throws Exception {
        try (RawHttp c = RawHttp.connect(t.port)) {
            byte[] body = new byte[MAX_BODY + 1];
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    c.send(request("POST", INFER, JSON, body));
                } catch (IOException e) {
                    // the node refused at the headers and closed: the rest of the body is not read
                }
            });
            Response r = c.read();
            writer.join(10_000);
            return r;
        }
    }

    static Response chunkedOverLimit(BadInputCatalogTest t) throws Exception {
        try (RawHttp c = RawHttp.connect(t.port)) {
            c.send(head(POST, CT, CHUNKED));
            byte[] chunk = concat(ascii("100000\r\n"), new byte[1 << 20], ascii("\r\n"));
            for (int i = 0; i < MAX_BODY >> 20; i++) {
                c.send(chunk);
            }
            // one byte over; neither the chunk's CRLF nor the last chunk follow, so the node reads all sent
            c.send(ascii("1\r\nx"));
            Response r = c.read();
            assertThat(c.closedByPeer()).isTrue();
            return r;
        }
    }

    static Response truncatedBody(BadInputCatalogTest t) throws Exception {
        try (RawHttp c = RawHttp.connect(t.port)) {
            c.send(concat(head(POST, CT, "Content-Length: 200"), new byte[100]));
            Response r = c.read();
            assertThat(c.closedByPeer()).isTrue();
            return r;
        }
    }

    static Response http10(BadInputCatalogTest t) throws Exception {
        try (RawHttp c = RawHttp.connect(t.port)) {
            Response live = c.send("GET /v2/health/live HTTP/1.0\r\n\r\n").read();
            assertThat(live.status()).isEqualTo(200);
            assertThat(c.closedByPeer())
                    .as("HTTP/1.0 without keep-alive: closed after the answer")
                    .isTrue();
        }
        try (RawHttp c = RawHttp.connect(t.port)) {
            c.send("POST " + INFER + " HTTP/1.0\r\n" + CT + "\r\nContent-Length: 1\r\n\r\n{");
            Response r = c.read();
            assertThat(c.closedByPeer()).isTrue();
            return r;
        }
    }

    static Response pipelined(BadInputCatalogTest t) throws Exception {
        try (RawHttp c = RawHttp.connect(t.port)) {
            c.send(concat(
                    postJson(INFER, valid("pipe-1")),
                    get("/nowhere"),
                    postJson(INFER, valid("pipe-2")),
                    get("/v2/health/live")));
            Response first = c.read();
            Response second = c.read();
            Response third = c.read();
            Response fourth = c.read();
            assertThat(first.status()).as(first.text()).isEqualTo(200);
            assertThat(first.text()).contains("\"request_id\":\"pipe-1\"");
            assertThat(third.status()).as(third.text()).isEqualTo(200);
            assertThat(third.text()).contains("\"request_id\":\"pipe-2\"");
            assertThat(fourth.text()).isEqualTo("{\"live\":true}");
            return second;
        }
    }

    static Response trickle(BadInputCatalogTest t) throws Exception {
        byte[] req = get("/v2/health/live");
        try (RawHttp c = RawHttp.connect(t.port)) {
            for (int i = 0; i < req.length - 1 && c.available() == 0; i++) {
                try {
                    c.send(new byte[] {req[i]});
                } catch (SocketException e) {
                    break; // closed by the node
                }
                Thread.sleep(400);
            }
            Response r = c.read();
            assertThat(c.closedByPeer()).isTrue();
            return r;
        }
    }

    static Response silent(BadInputCatalogTest t) throws Exception {
        try (RawHttp c = RawHttp.connect(t.port)) {
            assertThat(c.drain()).as("bytes sent to a silent client").isZero(); // closed at idle_timeout
            return new Response(DROPPED, Map.of(), new byte[0]);
        }
    }

    /**
     * A client that asks for a large answer and never reads: the node must serve others meanwhile
     * and drop it after write_timeout. The client's receive buffer is tiny; the answer is twice what
     * the node's socket send buffer may grow to (net.ipv4.tcp_wmem, 4 MB by default), so the write
     * stalls. After the drop the client can read what the kernel held, never the whole answer.
     */
    static Response neverReads(BadInputCatalogTest t) throws Exception {
        // min, default, max; (Files.readString of a /proc file returns its first byte only on JDK 25)
        String wmem = Files.readAllLines(Path.of("/proc/sys/net/ipv4/tcp_wmem")).get(0);
        long sendBufferMax = Long.parseLong(wmem.trim().split("\\s+", -1)[2]);
        int rows = (int) (sendBufferMax * 2 * 3 / 64); // 16 bytes of sums a row, 4/3 for base64
        assumeTrue(rows * 32L < MAX_BODY, "tcp_wmem max " + sendBufferMax + " needs a request above the body limit");
        String json = "{\"id\":\"stuck\",\"inputs\":[" + binaryInput("a", rows) + "," + binaryInput("b", rows) + "]}";
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        try (RawHttp c = RawHttp.connect(t.port, 4096)) {
            c.send(request(
                    "POST",
                    INFER,
                    OCTETS,
                    concat(head, new byte[rows * 32]),
                    HEADER_LENGTH,
                    Integer.toString(head.length)));
            long waitUntil = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (c.available() == 0 && System.nanoTime() < waitUntil) {
                Thread.sleep(50); // the node computes, signs and starts writing
            }
            assertThat(c.available()).as("the answer started").isPositive();
            t.assertServes(); // while the stuck write is pending
            Thread.sleep(2_500); // write_timeout 1 s, and margin
            c.timeout(Duration.ofSeconds(10));
            Response answer = c.readHead();
            assertThat(answer.status()).isEqualTo(200);
            long length = Long.parseLong(answer.header("content-length"));
            assertThat(c.drain())
                    .as("body bytes that reached a client dropped at write_timeout")
                    .isLessThan(length);
            return new Response(DROPPED, Map.of(), new byte[0]);
        }
    }

    static Response tooManyConnections(BadInputCatalogTest t) throws Exception {
        List<RawHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i <= MAX_CONNECTIONS; i++) {
                RawHttp c = RawHttp.connect(t.port);
                open.add(c);
                Response r = c.send(get("/v2/health/live")).read();
                if (r.status() != 200) {
                    assertThat(i).as("refused after %d connections", i).isLessThanOrEqualTo(MAX_CONNECTIONS);
                    assertThat(c.closedByPeer()).isTrue();
                    return r;
                }
            }
            return fail("no connection refused after " + (MAX_CONNECTIONS + 1));
        } finally {
            for (RawHttp c : open) {
                c.close();
            }
            awaitAccepted(t.port);
        }
    }

    /** Until the node has seen the closes and accepts a new connection again (at most 5 s). */
    private static void awaitAccepted(int port) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (RawHttp.exchange(port, get("/v2/health/live")).status() != 200) {
            assertThat(System.nanoTime()).as("connections freed").isLessThan(end);
            Thread.sleep(20);
        }
    }

    // ---- request parts

    static String tensor(String name, String shape, String datatype, String data) {
        return "{\"name\":\"" + name + "\",\"shape\":" + shape + ",\"datatype\":\"" + datatype + "\",\"data\":" + data
                + "}";
    }

    static String req(String... inputs) {
        return req(List.of(inputs));
    }

    static String req(List<String> inputs) {
        return "{\"id\":\"bad-1\",\"inputs\":[" + String.join(",", inputs) + "]}";
    }

    /** A valid request with more top-level fields after the inputs. */
    static String top(String more) {
        return "{\"id\":\"bad-1\",\"inputs\":[" + A + "," + B + "]" + more + "}";
    }

    /** Input a edited (not its data), b as is. */
    static String a(String from, String to) {
        return req(A.replace(from, to), B);
    }

    /** Input a with other data. */
    static String data(String data) {
        return req(tensor("a", "[1,4]", "FP32", data), B);
    }

    static String shape(String shape, String data) {
        return req(tensor("a", shape, "FP32", data), B);
    }

    static String pin(String sha) {
        return ",\"parameters\":{\"model_sha256\":\"" + sha + "\"}";
    }

    static String nonce(String hex) {
        return "{\"nonce\":\"" + hex + "\"}";
    }

    static String valid(String id) {
        return "{\"id\":\"" + id + "\",\"inputs\":[" + A + "," + B + "]}";
    }

    static String sizes(Object aSize, int bSize) {
        return "{\"id\":\"bad-1\",\"inputs\":["
                + "{\"name\":\"a\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":" + aSize
                + "}},{\"name\":\"b\",\"shape\":[1,4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":"
                + bSize + "}}]}";
    }

    static String binaryInput(String name, int rows) {
        return "{\"name\":\"" + name + "\",\"shape\":[" + rows
                + ",4],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":" + rows * 16 + "}}";
    }

    /** A request line and headers, no body. */
    static byte[] head(String requestLine, String... headers) {
        StringBuilder b = new StringBuilder(requestLine).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return ascii(b.append("\r\n").toString());
    }

    static byte[] floats(int n) {
        ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            b.putFloat(i);
        }
        return b.array();
    }

    static byte[] le(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The first bytes of a TLS 1.2 ClientHello: what a client configured for https sends. */
    static byte[] tlsClientHello() {
        return concat(
                new byte[] {0x16, 0x03, 0x01, 0x00, (byte) 0xa5, 0x01, 0x00, 0x00, (byte) 0xa1, 0x03, 0x03},
                new byte[32],
                new byte[] {0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00},
                ascii("\r\n\r\n"));
    }
}
