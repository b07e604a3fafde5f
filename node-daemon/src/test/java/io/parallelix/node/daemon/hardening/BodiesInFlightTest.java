package io.parallelix.node.daemon.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.hardening.RawHttp.Response;
import io.parallelix.node.gpu.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node-wide budget for request bodies (issue 12, item 2) over real sockets: with room for
 * one largest body at a time, a second one is refused 503 + Retry-After before it is sent, and
 * the first is answered.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class BodiesInFlightTest {
    private static final int MAX_BODY = 2 << 20;
    private static final int IN_FLIGHT = 3 << 20;

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private TestNode node;
    private int port;

    @BeforeAll
    void start() throws Exception {
        TestModels.writeAdd(dir.resolve("models"));
        node = TestNode.start(
                dir,
                TestNode.newKey(),
                Map.of(
                        "server.max_body_bytes", Integer.toString(MAX_BODY),
                        "server.max_body_bytes_in_flight", Integer.toString(IN_FLIGHT),
                        "server.read_timeout", "20s"));
        port = node.node.address().getPort();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    /** A key challenge padded with spaces to {@code size} bytes: valid JSON the node answers 200. */
    private static byte[] challenge(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        byte[] json = ("{\"nonce\":\"" + "ab".repeat(32) + "\"}").getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(json, 0, body, 0, json.length);
        return body;
    }

    private static String head(String length, String... headers) {
        StringBuilder h = new StringBuilder("POST /v1/node/challenge HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Content-Type: application/json\r\n" + length + "\r\n");
        for (String header : headers) {
            h.append(header).append("\r\n");
        }
        return h.append("\r\n").toString();
    }

    /**
     * A connection that announced a largest body and got 100 Continue: its bytes are held now. An
     * earlier answer's bytes come back once its write completed on the node, which can be just
     * after the client read it: a 503 then is retried until the budget is back.
     */
    private RawHttp holding() throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            RawHttp c = RawHttp.connect(port);
            int status = c.send(head("Content-Length: " + MAX_BODY, "Expect: 100-continue"))
                    .readHead()
                    .status();
            if (status == 100) {
                return c;
            }
            c.close();
            assertThat(status).isEqualTo(503);
            assertThat(System.nanoTime()).as("body budget given back").isLessThan(end);
            Thread.sleep(20);
        }
    }

    private void assertRefused(RawHttp c, Response r) throws Exception {
        assertThat(r.status()).as(r.text()).isEqualTo(503);
        assertThat(r.header("content-type")).isEqualTo("application/json");
        assertThat(r.header("retry-after")).isEqualTo("1");
        assertThat(mapper.readTree(r.body()).get("code").asText()).isEqualTo("overloaded");
        assertThat(c.closedByPeer()).isTrue();
    }

    /** Until a whole largest body is answered 200 again (what earlier tests held is given back). */
    @BeforeEach
    void awaitRoom() throws Exception {
        byte[] request = RawHttp.request("POST", "/v1/node/challenge", "application/json", challenge(MAX_BODY));
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (RawHttp.exchange(port, request).status() != 200) {
            assertThat(System.nanoTime()).as("body budget given back").isLessThan(end);
            Thread.sleep(20);
        }
    }

    @Test
    void secondBody_beyondTheBudget_is503BeforeItIsSent_andTheFirstIsAnswered() throws Exception {
        byte[] body = challenge(MAX_BODY);
        try (RawHttp first = holding();
                RawHttp second = RawHttp.connect(port)) {
            first.send(Arrays.copyOfRange(body, 0, 4096));
            second.timeout(Duration.ofSeconds(5)); // the old node waited for the body
            assertRefused(
                    second, second.send(head("Content-Length: " + MAX_BODY)).read());

            for (int off = 4096; off < body.length; off += 256 << 10) { // the first goes on, slowly
                first.send(Arrays.copyOfRange(body, off, Math.min(body.length, off + (256 << 10))));
                Thread.sleep(20);
            }
            Response answered = first.read();
            assertThat(answered.status()).as(answered.text()).isEqualTo(200);
            assertThat(mapper.readTree(answered.body()).has("sig")).isTrue();
        }
    }

    @Test
    void expectContinue_beyondTheBudget_is503InsteadOf100() throws Exception {
        try (RawHttp first = holding();
                RawHttp second = RawHttp.connect(port)) {
            second.timeout(Duration.ofSeconds(5));
            Response r = second.send(head("Content-Length: " + MAX_BODY, "Expect: 100-continue"))
                    .read();
            assertRefused(second, r);
        }
    }

    @Test
    void chunkedBody_isRefusedOnceItsChunksPassTheBudget() throws Exception {
        try (RawHttp first = holding();
                RawHttp second = RawHttp.connect(port)) {
            second.timeout(Duration.ofSeconds(5));
            second.send(head("Transfer-Encoding: chunked"));
            for (int i = 0; i < 5; i++) { // 1.25 MiB: past the 1 MiB left
                second.send(Integer.toHexString(256 << 10) + "\r\n" + " ".repeat(256 << 10) + "\r\n");
            }
            assertRefused(second, second.read());
        }
    }
}
