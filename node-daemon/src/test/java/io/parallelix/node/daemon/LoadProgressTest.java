package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.daemon.service.LoadingStatus;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.EngineConfig;
import io.parallelix.node.gpu.EngineException;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.LoadListener;
import io.parallelix.node.gpu.LoadProgress;
import io.parallelix.node.gpu.LoadStage;
import io.parallelix.node.gpu.testing.TestModels;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A loading node says which model it is on and why it is not ready; the load log's line. */
class LoadProgressTest {
    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void whileTheSecondModelLoads_readyAndModelsSayWhichAndWhy() throws Exception {
        TestModels.writeAdd(dir.resolve("models"));
        TestModels.writeMulti(dir.resolve("models"));
        long multiBytes = Files.size(dir.resolve("models/multi/model.onnx"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        NodeConfig config = TestNode.config(dir, Map.of("listen", "127.0.0.1:" + port));
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Node.EngineOpener opener = new Node.EngineOpener() {
            @Override
            public Engine open(EngineConfig c, Clock clock) {
                throw new AssertionError("the node asks with its listener");
            }

            @Override
            public Engine open(EngineConfig c, Clock clock, LoadListener listener) throws EngineException {
                return InferenceEngine.open(c, clock, new LoadListener() {
                    @Override
                    public void models(List<String> names) {
                        listener.models(names);
                    }

                    @Override
                    public void progress(LoadProgress p) {
                        listener.progress(p);
                        if (p.model().equals(TestModels.MULTI) && p.stage() == LoadStage.SESSIONS) {
                            held.countDown(); // hold the load here, as a slow session build would
                            try {
                                release.await(30, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                    }
                });
            }
        };
        CompletableFuture<Node> started = CompletableFuture.supplyAsync(() -> {
            try {
                return Node.start(config, TestNode.newKey(), Clock.systemUTC(), "test", opener);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            assertThat(held.await(60, TimeUnit.SECONDS)).isTrue();
            HttpClient client = HttpClient.newHttpClient();
            URI base = URI.create("http://127.0.0.1:" + port);

            HttpResponse<String> ready = get(client, base, "/v2/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            JsonNode r = mapper.readTree(ready.body());
            assertThat(r.get("ready").asBoolean()).isFalse();
            assertThat(r.get("reason").asText())
                    .isEqualTo("the node is starting: model 'multi' (2 of 2): creating_sessions");
            assertThat(r.at("/models/0/id").asText()).isEqualTo("add");
            assertThat(r.at("/models/0/loading/stage").asText()).isEqualTo("ready");
            assertThat(r.at("/models/1/loading/stage").asText()).isEqualTo("creating_sessions");
            assertThat(r.at("/models/1/loading/bytes_hashed").asLong()).isEqualTo(multiBytes);
            assertThat(r.at("/models/1/loading/bytes_total").asLong()).isEqualTo(multiBytes);

            HttpResponse<String> models = get(client, base, "/v1/models");
            assertThat(models.statusCode()).isEqualTo(200);
            JsonNode list = mapper.readTree(models.body());
            assertThat(list.get("object").asText()).isEqualTo("list");
            assertThat(list.at("/data/1/id").asText()).isEqualTo("multi");
            assertThat(list.at("/data/1/ready").asBoolean()).isFalse();
            assertThat(list.at("/data/1/owned_by").asText()).isEqualTo("pxnode");
            assertThat(list.at("/data/1/loading/stage").asText()).isEqualTo("creating_sessions");

            HttpResponse<String> one = get(client, base, "/v2/models/multi/ready");
            assertThat(one.statusCode()).isEqualTo(503);
            assertThat(mapper.readTree(one.body()).get("reason").asText())
                    .contains("model 'multi' (2 of 2): creating_sessions");
        } finally {
            release.countDown();
        }
        try (Node node = started.get(60, TimeUnit.SECONDS)) {
            HttpResponse<String> models =
                    get(HttpClient.newHttpClient(), URI.create("http://127.0.0.1:" + port), "/v1/models");
            assertThat(models.statusCode()).isEqualTo(200);
            assertThat(models.body()).doesNotContain("loading").contains("\"task\":\"tensor\"");
            assertThat(node.status().ready()).isTrue();
        }
    }

    @Test
    void loadLog_lineSaysModelStageAndBytes_andNothingOnceReady() {
        LoadingStatus status = new LoadingStatus();
        try (LoadLog log = new LoadLog(status, Duration.ofHours(1))) {
            assertThat(log.line(0)).isEmpty();
            status.models(List.of("llama"));
            status.progress(new LoadProgress("llama", 1, 1, LoadStage.HASHING, 3L << 29, 4L << 30));
            assertThat(log.line(12))
                    .hasValue("loading model 'llama' (1 of 1): hashing, 1.5 GiB of 4.0 GiB (37%) (12 s since start)");
            status.progress(new LoadProgress("llama", 1, 1, LoadStage.WARMUP, 4L << 30, 4L << 30));
            assertThat(log.line(40)).hasValue("loading model 'llama' (1 of 1): warmup_and_canary (40 s since start)");
            status.progress(new LoadProgress("llama", 1, 1, LoadStage.READY, 4L << 30, 4L << 30));
            assertThat(log.line(41)).isEmpty();
        }
    }

    @Test
    void loadLog_onAShortInterval_logsTheLine() throws Exception {
        ch.qos.logback.classic.Logger logger =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(LoadLog.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> events =
                new ch.qos.logback.core.read.ListAppender<>();
        events.start();
        logger.addAppender(events);
        LoadingStatus status = new LoadingStatus();
        status.progress(new LoadProgress("big", 1, 1, LoadStage.SESSIONS, 10, 10));
        try (LoadLog log = new LoadLog(status, Duration.ofMillis(10))) {
            for (int i = 0; i < 500 && events.list.isEmpty(); i++) {
                Thread.sleep(10); // waits for the ticker, asserts nothing about when it came
            }
        } finally {
            logger.detachAppender(events);
        }
        assertThat(events.list).isNotEmpty();
        assertThat(events.list.get(0).getFormattedMessage())
                .startsWith("loading model 'big' (1 of 1): creating_sessions (");
    }

    @Test
    void loadingStatus_listsModelsNotReportedYetAsWaiting() {
        LoadingStatus status = new LoadingStatus();
        assertThat(status.models()).isEmpty();
        assertThat(status.reason()).isEqualTo("the node is starting: its models are loading");
        status.models(List.of("a", "b"));
        status.progress(new LoadProgress("a", 1, 2, LoadStage.HASHING, 0, 10));
        assertThat(status.models())
                .containsExactly(
                        new LoadProgress("a", 1, 2, LoadStage.HASHING, 0, 10),
                        new LoadProgress("b", 2, 2, LoadStage.WAITING, 0, 0));
        assertThat(LoadingStatus.bytes(1023)).isEqualTo("1023 B");
        assertThat(LoadingStatus.bytes(1536)).isEqualTo("1.5 KiB");
    }

    private static HttpResponse<String> get(HttpClient client, URI base, String path) throws Exception {
        return client.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
