package io.parallelix.node.daemon.hardening;

import static io.parallelix.node.daemon.hardening.RawHttp.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.TestPki;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Abuse of a mutual-TLS listener (issue 12, items 5 and 9): peers that connect and never start a
 * handshake, coordinators beyond max_connections, client-initiated renegotiation.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class TlsLimitsTest {
    private static final int MAX_CONNECTIONS = 3;
    private static final int MAX_HANDSHAKES = 8;

    @TempDir
    static Path dir;

    private Map<String, String> tlsConfig;
    private TestNode node;
    private SSLContext coordinator;
    private int port;

    @BeforeAll
    void start() throws Exception {
        TestPki pki = TestPki.create(dir.resolve("pki"));
        tlsConfig = pki.mutualTls();
        coordinator = pki.coordinator();
        TestModels.writeAdd(dir.resolve("models"));
        node = start("30s");
        port = node.node.address().getPort();
    }

    private TestNode start(String handshakeTimeout) throws Exception {
        Map<String, String> config = new HashMap<>(tlsConfig);
        config.put("server.max_connections", Integer.toString(MAX_CONNECTIONS));
        config.put("server.max_handshakes", Integer.toString(MAX_HANDSHAKES));
        config.put("server.handshake_timeout", handshakeTimeout);
        config.put("server.read_timeout", "30s");
        return TestNode.start(dir, TestNode.newKey(), config);
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @BeforeEach
    void awaitFreeSlots() throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            try (RawHttp c = RawHttp.over(tls(port, "TLSv1.3"))) {
                if (c.send(get("/v2/health/live")).read().status() == 200) {
                    return; // what an earlier test closed, the node has seen closing
                }
            }
            assertThat(System.nanoTime()).as("connection slots freed").isLessThan(end);
            Thread.sleep(20);
        }
    }

    @Test
    void silentPeers_beyondMaxHandshakes_closeTheOldestAndTheCoordinatorIsServed() throws Exception {
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_HANDSHAKES + 50; i++) {
                silent.add(tcp(port));
            }
            // connect() returns once the kernel has the connection, before the node accepts it: wait
            // until the node has evicted a peer near the end, so it has accepted all but a few, or
            // MAX_HANDSHAKES peers it accepts after the coordinator would evict the coordinator (seen in CI)
            Socket late = silent.get(silent.size() - MAX_HANDSHAKES - 6);
            late.setSoTimeout(5_000);
            assertThat(endsWithoutBytes(late))
                    .as("the node accepted the silent peers")
                    .isTrue();
            try (HttpClient c = HttpClient.newBuilder()
                    .sslContext(coordinator)
                    .connectTimeout(Duration.ofSeconds(5))
                    .build()) {
                HttpResponse<String> r = c.send(
                        HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/v2/health/live"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            // one oldest made room for each newer peer and for the coordinator: closed without a
            // byte (no plaintext 503), long before the handshake timeout; the newest still wait.
            // (Each event loop starts its connections in order, the loops not quite: the order is
            // only certain away from the boundary.)
            int evicted = 0;
            for (int i = 0; i < silent.size(); i++) {
                Socket s = silent.get(i);
                s.setSoTimeout(i < 40 ? 5_000 : 200);
                boolean closed = endsWithoutBytes(s);
                assertThat(closed || i >= 40).as("silent peer %d closed", i).isTrue();
                evicted += closed ? 1 : 0;
            }
            assertThat(evicted).isEqualTo(silent.size() + 1 - MAX_HANDSHAKES);
        } finally {
            for (Socket s : silent) {
                s.close();
            }
        }
    }

    @Test
    void silentPeer_isClosedAtTheHandshakeTimeoutNotTheReadTimeout() throws Exception {
        try (TestNode quick = start("1s");
                Socket s = tcp(quick.node.address().getPort())) {
            long start = System.nanoTime();
            s.setSoTimeout(10_000);
            assertThat(endsWithoutBytes(s)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(500), Duration.ofSeconds(5));
        }
    }

    @Test
    void coordinatorBeyondMaxConnections_readsA503InsideTheTlsSession() throws Exception {
        List<RawHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i <= MAX_CONNECTIONS; i++) {
                RawHttp c = RawHttp.over(tls(port, "TLSv1.3")); // the handshake succeeds either way
                open.add(c); // keep-alive: an admitted one holds its connection slot
                RawHttp.Response r = c.send(get("/v2/health/live")).read();
                if (r.status() != 200) {
                    assertThat(r.status()).as(r.text()).isEqualTo(503);
                    assertThat(r.header("content-type")).isEqualTo("application/json");
                    assertThat(r.header("retry-after")).isNotNull();
                    assertThat(new ObjectMapper().readTree(r.body()).get("code").asText())
                            .isEqualTo("overloaded");
                    assertThat(c.closedByPeer()).isTrue();
                    return;
                }
            }
            fail("no connection refused after " + (MAX_CONNECTIONS + 1));
        } finally {
            for (RawHttp c : open) {
                c.close();
            }
        }
    }

    @Test
    void clientInitiatedRenegotiation_isRefused() throws Exception {
        SSLSocket s = tls(port, "TLSv1.2");
        try (RawHttp c = RawHttp.over(s)) {
            assertThat(c.send(get("/v2/health/live")).read().status()).isEqualTo(200);
            s.getSession().invalidate(); // a full new handshake, not a resumption
            assertThatThrownBy(() -> {
                        s.startHandshake();
                        c.send(get("/v2/health/live")).read();
                    })
                    .isInstanceOf(IOException.class);
        }
    }

    /** A TCP connection that never sends a byte. */
    private static Socket tcp(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        return s;
    }

    /** A coordinator's TLS connection with the handshake done, speaking only {@code protocol}. */
    private SSLSocket tls(int port, String protocol) throws IOException {
        SSLSocket s = (SSLSocket) coordinator.getSocketFactory().createSocket();
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        s.setEnabledProtocols(new String[] {protocol});
        s.setSoTimeout(10_000);
        s.startHandshake();
        return s;
    }

    /** True if the peer closed before sending anything (EOF or reset within the timeout). */
    private static boolean endsWithoutBytes(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }
}
