package io.parallelix.node.daemon.hardening;

import static io.parallelix.node.daemon.hardening.RawHttp.get;
import static io.parallelix.node.daemon.hardening.RawHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.daemon.Distribution;
import io.parallelix.node.daemon.hardening.RawHttp.Response;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM and SIGKILL of the real process (issue 7). Under load, SIGTERM must answer every request
 * the node accepted: a request counts as accepted when the node read it, which its access log
 * records (one line per answer, written before the answer is sent). So the client-side outcomes
 * and the log must agree exactly: every 200 the log has reached its client, every 503 too, and a
 * request whose connection was reset before an answer is one the node never read (it arrived after
 * the listener or the connection closed).
 */
@Timeout(180)
class ShutdownUnderLoadIT {
    private static final int CLIENTS = 16;
    /** Connections that send one request each after the drain began (503 expected). */
    private static final int LATE = 4;

    private static final Duration DRAIN = Duration.ofSeconds(10);
    private static final Pattern ACCESS = Pattern.compile("endpoint=infer model=slow request_id=(\\S+) status=(\\d+)");

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    /** What each client request met. */
    enum Outcome {
        OK,
        DRAINING,
        OTHER_STATUS,
        REFUSED,
        UNANSWERED
    }

    @Test
    void sigterm_underLoad_answersEveryAcceptedRequest_andExitsWithinTheDrainTimeout() throws Exception {
        Distribution.writeKey(dir);
        TestModels.writeSlow(dir.resolve("models"));
        Path config = Distribution.config(
                dir,
                "server: {io_threads: 2, workers: 2, queue_capacity: 64, request_timeout: 30s, drain_timeout: "
                        + DRAIN.toSeconds() + "s}");
        Distribution.Running node = Distribution.serve(dir, config, "node.log");
        try (node) {
            ConcurrentHashMap<String, Outcome> sent = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int client = c;
                clients.add(pool.submit(() -> {
                    load(node.port(), client, sent, stop);
                    return null;
                }));
            }
            awaitAnswered(sent, 30);
            // open before SIGTERM, idle until the node drains: their requests arrive after drain began
            RawHttp poll = RawHttp.connect(node.port());
            List<RawHttp> late = new ArrayList<>();
            for (int i = 0; i < LATE; i++) {
                late.add(RawHttp.connect(node.port()));
                assertThat(late.get(i).send(get("/v2/health/live")).read().status())
                        .isEqualTo(200);
            }
            long t0 = System.nanoTime();
            node.process().destroy(); // SIGTERM
            while (poll.send(get("/v2/health/ready")).read().status() == 200) {
                Thread.sleep(5); // ready turns 503 (and the connection closes) when the drain begins
            }
            for (int i = 0; i < LATE; i++) {
                String id = "late-" + i;
                Response r = late.get(i)
                        .send(postJson("/v2/models/slow/infer", slow(id)))
                        .read();
                sent.put(id, r.status() == 503 ? Outcome.DRAINING : Outcome.OTHER_STATUS);
                assertThat(r.text()).contains("shutting down");
                late.get(i).close();
            }
            poll.close();
            boolean exited = node.process().waitFor(DRAIN.toSeconds() + 15, TimeUnit.SECONDS);
            long stopMillis = (System.nanoTime() - t0) / 1_000_000;
            stop.set(true);
            for (Future<?> f : clients) {
                f.get(30, TimeUnit.SECONDS);
            }
            pool.shutdown();
            assertThat(exited).as("exited within drain_timeout + 15 s").isTrue();
            assertThat(node.process().exitValue()).as("JVM exit after SIGTERM").isEqualTo(143);

            String log = node.output();
            Set<String> logged200 = new HashSet<>();
            int logged503 = 0;
            Matcher m = ACCESS.matcher(log);
            while (m.find()) {
                if (m.group(2).equals("200")) {
                    logged200.add(m.group(1));
                } else {
                    assertThat(m.group(2)).as(m.group()).isEqualTo("503");
                    logged503++;
                }
            }
            Set<String> client200 = ids(sent, Outcome.OK);
            System.out.printf(
                    "SIGTERM under load: %d sent, %d answered 200, %d answered 503 (draining), %d refused at connect,"
                            + " %d reset unanswered; process exited %d ms after SIGTERM%n",
                    sent.size(),
                    client200.size(),
                    ids(sent, Outcome.DRAINING).size(),
                    ids(sent, Outcome.REFUSED).size(),
                    ids(sent, Outcome.UNANSWERED).size(),
                    stopMillis);
            assertThat(ids(sent, Outcome.OTHER_STATUS))
                    .as("statuses other than 200 and 503")
                    .isEmpty();
            assertThat(client200)
                    .as("requests answered 200 = requests the node logged 200")
                    .isEqualTo(logged200);
            assertThat(ids(sent, Outcome.DRAINING))
                    .as("503s received = 503s logged")
                    .hasSize(logged503);
            assertThat(ids(sent, Outcome.UNANSWERED))
                    .as("a reset request was never read by the node")
                    .doesNotContainAnyElementsOf(logged200);
            assertThat(log).contains("stopped").doesNotContain("unanswered").doesNotContain("LEAK:");
        }
    }

    /** One client: a keep-alive connection, one slow request after another, reconnecting after a close. */
    private void load(int port, int client, ConcurrentHashMap<String, Outcome> sent, AtomicBoolean stop)
            throws IOException {
        RawHttp c = null;
        for (int k = 0; !stop.get(); k++) {
            String id = "c" + client + "-" + k;
            try {
                if (c == null) {
                    c = RawHttp.connect(port);
                }
            } catch (ConnectException e) {
                sent.put(id, Outcome.REFUSED); // the listener is closed: the node is going away
                return;
            }
            sent.put(id, Outcome.UNANSWERED);
            Response r;
            try {
                r = c.send(postJson("/v2/models/slow/infer", slow(id))).read();
            } catch (IOException e) {
                c.close();
                c = null;
                continue; // reset or closed before an answer: stays UNANSWERED
            }
            sent.put(id, r.status() == 200 ? Outcome.OK : r.status() == 503 ? Outcome.DRAINING : Outcome.OTHER_STATUS);
            if ("close".equalsIgnoreCase(r.header("connection"))) {
                c.close();
                c = null;
            }
        }
        if (c != null) {
            c.close();
        }
    }

    /** About 100 ms of work: 16 clients keep the two workers busy for ~0.8 s after SIGTERM. */
    private static String slow(String id) {
        return "{\"id\":\"" + id + "\",\"inputs\":[{\"name\":\"iterations\",\"shape\":[],\"datatype\":\"INT64\","
                + "\"data\":[" + TestModels.SLOW_ITERATIONS_PER_SECOND / 10 + "]}]}";
    }

    private static Set<String> ids(ConcurrentHashMap<String, Outcome> sent, Outcome outcome) {
        Set<String> s = new HashSet<>();
        sent.forEach((id, o) -> {
            if (o == outcome) {
                s.add(id);
            }
        });
        return s;
    }

    private static void awaitAnswered(ConcurrentHashMap<String, Outcome> sent, int n) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (ids(sent, Outcome.OK).size() < n && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        assertThat(ids(sent, Outcome.OK)).as("load is running").hasSizeGreaterThanOrEqualTo(n);
    }

    @Test
    void sigkill_andRestart_comesBackWithTheSameNodeIdOnTheSamePort() throws Exception {
        NodeKey key = Distribution.writeKey(dir);
        TestModels.writeAdd(dir.resolve("models"));
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Path config = Distribution.config(dir);
        String before;
        try (Distribution.Running first =
                Distribution.serve(dir, config, "first.log", "--listen", "127.0.0.1:" + port)) {
            before = nodeId(port);
            // an open keep-alive connection, as a coordinator would hold, when the process dies
            try (RawHttp held = RawHttp.connect(port)) {
                assertThat(held.send(get("/v2/health/ready")).read().status()).isEqualTo(200);
                first.process().destroyForcibly(); // SIGKILL: no drain, no shutdown hook
                assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(first.process().exitValue()).isEqualTo(137);
            }
        }
        try (Distribution.Running second =
                Distribution.serve(dir, config, "second.log", "--listen", "127.0.0.1:" + port)) {
            assertThat(nodeId(port)).isEqualTo(before).isEqualTo(key.nodeId().hex());
            assertThat(second.nodeId()).isEqualTo(before);
            second.process().destroy();
            assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    private String nodeId(int port) throws Exception {
        Response r = RawHttp.exchange(port, get("/v1/node"));
        assertThat(r.status()).isEqualTo(200);
        return mapper.readTree(r.body()).get("node_id").asText();
    }
}
