package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.gpu.EngineException;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Readiness while loading and draining, on a real node on loopback. A full queue and a run past its
 * deadline: hardening/FaultTest.
 */
class NodeLifecycleTest {
    private static final NodeKey KEY = TestNode.newKey();

    @TempDir
    Path dir;

    private static String slow(String id, long iterations) {
        return "{\"id\":\"" + id
                + "\",\"inputs\":[{\"name\":\"iterations\",\"shape\":[],\"datatype\":\"INT64\",\"data\":[" + iterations
                + "]}]}";
    }

    private static String body(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void start_whileModelsLoad_isLiveNotReadyAndRefusesWork() throws Exception {
        TestModels.writeAdd(dir.resolve("models"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NodeConfig config = TestNode.config(dir, Map.of("listen", "127.0.0.1:" + port));
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<Node> started = CompletableFuture.supplyAsync(() -> {
            try {
                return Node.start(config, KEY, Clock.systemUTC(), "test", (engineConfig, clock) -> {
                    loading.countDown();
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new EngineException("interrupted", e);
                    }
                    return InferenceEngine.open(engineConfig, clock);
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(loading.await(30, TimeUnit.SECONDS)).isTrue();
        HttpClient client = HttpClient.newHttpClient();
        URI base = URI.create("http://127.0.0.1:" + port);
        assertThat(client.send(
                                HttpRequest.newBuilder(base.resolve("/v2/health/live"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
        HttpResponse<String> ready = client.send(
                HttpRequest.newBuilder(base.resolve("/v2/health/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).isEqualTo("{\"ready\":false}");
        HttpResponse<String> infer = client.send(
                HttpRequest.newBuilder(base.resolve("/v2/models/add/infer"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(infer.statusCode()).isEqualTo(503);
        assertThat(infer.headers().firstValue("retry-after")).isPresent();

        release.countDown();
        try (Node node = started.get(60, TimeUnit.SECONDS)) {
            assertThat(client.send(
                                    HttpRequest.newBuilder(base.resolve("/v2/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(200);
            assertThat(node.status().ready()).isTrue();
        }
    }

    @Test
    void close_underConcurrentLoad_answersEveryAdmittedRequest() throws Exception {
        TestModels.writeSlow(dir.resolve("models"));
        TestNode node = TestNode.start(dir, KEY, Map.of("server.workers", "2", "server.queue_capacity", "32"));
        int n = 12;
        List<CompletableFuture<HttpResponse<byte[]>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String id = "drain-" + i;
            calls.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return node.postJson("/v2/models/slow/infer", slow(id, TestModels.SLOW_ITERATIONS_PER_SECOND / 10));
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        awaitInFlight(node, n);
        node.close(); // drains: returns after every admitted request was answered
        for (CompletableFuture<HttpResponse<byte[]>> c : calls) {
            HttpResponse<byte[]> r = c.get(5, TimeUnit.SECONDS);
            assertThat(r.statusCode()).as(body(r)).isEqualTo(200);
        }
    }

    /** Waits until the node reports {@code n} admitted requests (its own gauge, via /metrics). */
    private static void awaitInFlight(TestNode node, int n) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < end) {
            String metrics = body(node.get("/metrics"));
            for (String line : metrics.split("\n")) {
                if (line.startsWith("pxnode_in_flight_requests ") && Double.parseDouble(line.substring(26)) >= n) {
                    return;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("fewer than " + n + " requests in flight after 30 s");
    }
}
