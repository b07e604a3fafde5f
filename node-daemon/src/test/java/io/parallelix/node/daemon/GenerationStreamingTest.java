package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.gpu.GenerationInfo;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Completions over real sockets to a node on the fake engine: one request twice gives the same
 * bytes but for {@code created}; a client that disconnects ends its generation within a token and
 * leaves nothing in flight; a client that stops reading is dropped at the write timeout and its
 * generation stops; the deadline is a 504 before the stream began and an error event after.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class GenerationStreamingTest {
    private static final GenerationInfo INFO = new GenerationInfo(2_000_000, 1_000_000, 300, List.of(256), true, 4);

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final FakeEngine engine = FakeEngine.of(List.of(), List.of(FakeEngine.generation("g", INFO)));
    private TestNode node;

    @BeforeAll
    void start() throws Exception {
        node = TestNode.start(
                dir,
                TestNode.newKey(),
                Map.of("server.generation_timeout", "3s", "server.write_timeout", "3s"),
                (config, clock) -> engine);
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private Socket send(String path, String body, String requestId, int receiveBuffer) throws Exception {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(node.node.address(), 5_000);
        s.setSoTimeout(20_000);
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nPxnode-Request-Id: "
                + requestId + "\r\nContent-Length: " + b.length + "\r\n\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().write(b);
        s.getOutputStream().flush();
        return s;
    }

    /** Reads until the server closes, or until {@code marker} arrived. */
    private static String readUntil(Socket s, String marker) throws Exception {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        for (int n; (n = in.read(buf)) > 0; ) {
            got.write(buf, 0, n);
            if (!marker.isEmpty() && got.toString(StandardCharsets.UTF_8).contains(marker)) {
                break;
            }
        }
        return got.toString(StandardCharsets.UTF_8);
    }

    /** The body of a chunked answer, framing removed, as far as it came. */
    private static String dechunk(String raw) {
        String rest = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        StringBuilder body = new StringBuilder();
        while (!rest.isEmpty()) {
            int eol = rest.indexOf("\r\n");
            int size = Integer.parseInt(rest.substring(0, eol).trim(), 16);
            if (size == 0) {
                break;
            }
            body.append(rest, eol + 2, eol + 2 + size);
            rest = rest.substring(eol + 2 + size + 2);
        }
        return body.toString();
    }

    private String stream(String path, String body, String requestId) throws Exception {
        try (Socket s = send(path, body, requestId, 0)) {
            return dechunk(readUntil(s, "\r\n0\r\n\r\n"));
        }
    }

    /** Waits (bounded) for the node to have nothing in flight and the fake engine nothing running. */
    private void awaitIdle() throws Exception {
        for (int i = 0; i < 400; i++) {
            HttpResponse<byte[]> m = node.get("/metrics");
            String text = new String(m.body(), StandardCharsets.UTF_8);
            if (engine.generating.get() == 0 && text.contains("\npxnode_in_flight_requests 0.0\n")) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("still busy: " + engine.generating.get() + " generating");
    }

    private static String withoutCreated(String s) {
        return s.replaceAll("\"created\":\\d+", "\"created\":0");
    }

    @Test
    void sameRequestTwice_sameBytesButCreated_wholeAndStreamed() throws Exception {
        String whole = "{\"model\":\"g\",\"prompt\":\"twice\",\"max_tokens\":20,\"n\":2,\"logprobs\":3,\"stop\":\"q\"}";
        HttpResponse<byte[]> a = node.post(
                "/v1/completions",
                "application/json",
                whole.getBytes(StandardCharsets.UTF_8),
                "Pxnode-Request-Id",
                "same-1");
        HttpResponse<byte[]> b = node.post(
                "/v1/completions",
                "application/json",
                whole.getBytes(StandardCharsets.UTF_8),
                "Pxnode-Request-Id",
                "same-1");
        assertThat(a.statusCode()).isEqualTo(200);
        assertThat(withoutCreated(new String(b.body(), StandardCharsets.UTF_8)))
                .isEqualTo(withoutCreated(new String(a.body(), StandardCharsets.UTF_8)));
        assertThat(a.headers().firstValue("pxnode-poe")).isPresent();

        String chat = "{\"model\":\"g\",\"messages\":[{\"role\":\"user\",\"content\":\"twice\"}],\"max_tokens\":20,"
                + "\"logprobs\":true,\"top_logprobs\":1,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";
        String first = stream("/v1/chat/completions", chat, "same-2");
        String second = stream("/v1/chat/completions", chat, "same-2");
        byte[] r1 = StreamProof.check(first.getBytes(StandardCharsets.UTF_8), node.key.publicKey())
                .result();
        byte[] r2 = StreamProof.check(second.getBytes(StandardCharsets.UTF_8), node.key.publicKey())
                .result();
        assertThat(withoutCreated(new String(r2, StandardCharsets.UTF_8)))
                .isEqualTo(withoutCreated(new String(r1, StandardCharsets.UTF_8)));
    }

    @Test
    void clientThatDisconnects_endsItsGenerationWithinAToken() throws Exception {
        awaitIdle();
        int atClose;
        try (Socket s = send(
                "/v1/completions",
                "{\"model\":\"g\",\"prompt\":\"fake:sleep:20\",\"max_tokens\":5000,\"stream\":true}",
                "gone-1",
                0)) {
            String got = readUntil(s, "\"token_ids\":[");
            assertThat(got).contains("text/event-stream");
            atClose = engine.generated.get();
        }
        awaitIdle();
        // the token in flight when the close was seen, and the one whose write found the channel closed
        assertThat(engine.generated.get()).isLessThanOrEqualTo(atClose + 3);
    }

    @Test
    void clientThatDoesNotRead_isDroppedAtTheWriteTimeout_andItsGenerationStops() throws Exception {
        awaitIdle();
        int before = engine.generated.get();
        try (Socket s = send(
                "/v1/completions",
                "{\"model\":\"g\",\"prompt\":\"never read\",\"max_tokens\":1000000,\"stream\":true}",
                "slow-1",
                4096)) {
            awaitIdle(); // not a byte read
        }
        assertThat(engine.generated.get() - before).isLessThan(500_000);
    }

    @Test
    void deadline_isA504BeforeTheStream_andAnErrorEventAfterIt() throws Exception {
        String slow = "{\"model\":\"g\",\"prompt\":\"fake:sleep:100\",\"max_tokens\":100";
        HttpResponse<byte[]> whole = node.post(
                "/v1/completions",
                "application/json",
                (slow + "}").getBytes(StandardCharsets.UTF_8),
                "Pxnode-Request-Id",
                "late-1");
        assertThat(whole.statusCode()).isEqualTo(504);
        JsonNode error = mapper.readTree(whole.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("deadline_exceeded");

        String streamed = stream("/v1/completions", slow + ",\"stream\":true}", "late-2");
        String[] events = streamed.split("\n\n");
        String last = events[events.length - 1];
        assertThat(last).startsWith("data: {\"error\":");
        assertThat(mapper.readTree(last.substring(6)).at("/error/code").asText())
                .isEqualTo("deadline_exceeded");
        assertThat(events.length).isGreaterThan(3);
        assertThat(streamed).doesNotContain(": pxnode-poe").doesNotContain("[DONE]");
    }

    @Test
    void metrics_countTokensAndLatencies() throws Exception {
        node.postJson("/v1/completions", "{\"model\":\"g\",\"prompt\":\"count me\",\"max_tokens\":4}");
        String text = new String(node.get("/metrics").body(), StandardCharsets.UTF_8);
        assertThat(text)
                .contains("pxnode_generation_prompt_tokens_total{model=\"g\"}")
                .contains("pxnode_generation_tokens_total{model=\"g\"}")
                .contains("pxnode_generation_time_to_first_token_seconds_count{model=\"g\"}")
                .contains("pxnode_generation_inter_token_seconds_count{model=\"g\"}")
                .contains("pxnode_generation_active_sequences{model=\"g\"}");
    }
}
