package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.service.ChallengeSigner;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.daemon.service.InferenceService;
import io.parallelix.node.daemon.service.NodeStatus;
import io.parallelix.node.daemon.service.ReplayGuard;
import io.parallelix.node.daemon.service.ServiceLimits;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streamed answers over real sockets on 127.0.0.1: the signed trailer verifies over the bytes
 * received, a client that stops reading is dropped at the write timeout and its task stops, a
 * client that disconnects cancels its task within one step, and a drain lets a stream finish.
 */
class StreamingSocketTest {
    private static final Json json = new Json(1 << 20);
    private static NodeKey key;
    private static ResultSigner signer;

    private ExecutorService workers;
    private InferenceService service;
    private CountingKind kind;
    private NodeServer server;

    @BeforeAll
    static void keys() throws Exception {
        key = TestNode.newKey();
        signer = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK);
    }

    @BeforeEach
    void start() throws Exception {
        NodeMetrics metrics = new NodeMetrics();
        workers = Executors.newFixedThreadPool(2);
        FakeEngine engine = new FakeEngine("count");
        service = new InferenceService(new InferenceService.Parts(
                engine,
                signer,
                metrics,
                workers,
                Clock.systemUTC(),
                new ServiceLimits(4, Duration.ofSeconds(30)),
                ReplayGuard.off(Clock.systemUTC())));
        kind = new CountingKind(json.mapper());
        ServerSettings settings = new ServerSettings(
                "127.0.0.1",
                0,
                1,
                Duration.ofMillis(1),
                1 << 20,
                8192,
                16,
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(
                        3), // write timeout: short for the slow-reader test, not so short a loaded CI stalls a healthy
                // stream
                EnumSet.allOf(Endpoint.class),
                null);
        server = NodeServer.start(settings, metrics, json, BodyBudget.sized(0, 1 << 20, 1L << 30, 1L << 30));
        server.attach(new Serving(
                service,
                new NodeStatus(engine, service, key, signer, "test"),
                new ChallengeSigner(signer, workers, 2),
                Map.of(Endpoint.INFER, kind)));
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
        workers.shutdownNow();
    }

    private Socket connect() throws Exception {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(server.address(), 5_000);
        s.setSoTimeout(10_000);
        return s;
    }

    private static void request(Socket s, String body) throws Exception {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST /v2/models/count/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + b.length + "\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(b);
        out.flush();
    }

    /** Reads until the server closes, or until {@code marker} arrived; returns the raw text. */
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

    /** The body of a chunked answer: chunk sizes and framing removed. */
    private static String dechunk(String raw) {
        String rest = raw.substring(raw.indexOf("\r\n\r\n") + 4);
        StringBuilder body = new StringBuilder();
        while (true) {
            int eol = rest.indexOf("\r\n");
            int size = Integer.parseInt(rest.substring(0, eol).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(rest, eol + 2, eol + 2 + size);
            rest = rest.substring(eol + 2 + size + 2);
        }
    }

    @Test
    void stream_theTrailerSignsExactlyTheBytesBeforeIt() throws Exception {
        try (Socket s = connect()) {
            request(s, "{\"id\":\"sig-1\",\"n\":20,\"bytes\":100}");
            String body = dechunk(readUntil(s, "0\r\n\r\n"));
            int trailer = body.indexOf(CountingKind.TRAILER);
            byte[] result = body.substring(0, trailer).getBytes(StandardCharsets.UTF_8);
            String[] fields = body.substring(trailer + CountingKind.TRAILER.length(), body.indexOf("\n\n", trailer))
                    .split(" ");
            assertThat(new EnvelopeVerifier(CryptoProvider.JDK)
                            .verify(
                                    "sig-1",
                                    result,
                                    key.nodeId().hex(),
                                    HexFormat.of().parseHex(fields[0]),
                                    Base64.getDecoder().decode(fields[1]),
                                    "PS256",
                                    key.publicKey())
                            .valid())
                    .isTrue();
            assertThat(result).hasSize(20 * CountingKind.chunk(0, 100).length + 10); // "data: 1x" is one wider
        }
    }

    @Test
    void clientThatDoesNotRead_isDroppedAtTheWriteTimeout_andItsTaskStops() throws Exception {
        int n = 100_000; // 100k chunks of 16 KiB: far more than any socket buffer holds
        try (Socket s = connect()) {
            request(s, "{\"id\":\"slow\",\"n\":" + n + ",\"bytes\":16384}");
            // admitted first: awaitIdle before the request arrives would be true at once
            long until = System.nanoTime() + 15_000_000_000L;
            while (kind.emitted.get() == 0 && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(kind.emitted.get()).as("the task started").isPositive();
            assertThat(service.awaitIdle(15_000)).isTrue(); // never read a byte
        }
        assertThat(kind.emitted.get()).isLessThan(n / 10);
        assertThat(service.inFlight()).isZero();
    }

    @Test
    void clientThatDisconnects_cancelsItsTaskWithinOneStep() throws Exception {
        int atClose;
        try (Socket s = connect()) {
            request(s, "{\"id\":\"gone\",\"n\":10000,\"bytes\":10,\"delay_ms\":5}");
            readUntil(s, "data: 3 ");
            atClose = kind.emitted.get();
        }
        assertThat(service.awaitIdle(10_000)).isTrue();
        // chunks already on their way when the close was seen, plus the one step in flight
        assertThat(kind.emitted.get()).isLessThanOrEqualTo(atClose + 3);
    }

    @Test
    void drain_letsAStreamFinish_thenCloses() throws Exception {
        try (Socket s = connect()) {
            request(s, "{\"id\":\"drain\",\"n\":40,\"bytes\":10,\"delay_ms\":10}");
            String first = readUntil(s, "data: 1 ");
            Thread stopper = new Thread(() -> server.shutdown(Duration.ofSeconds(10)));
            stopper.start();
            String rest = readUntil(s, ""); // to the server's close
            stopper.join(TimeUnit.SECONDS.toMillis(15));
            String all = first + rest;
            assertThat(all).contains("data: 39 ").contains(CountingKind.TRAILER).endsWith("0\r\n\r\n");
            assertThat(all).doesNotContain("HTTP/1.1 503");
        }
    }
}
