package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.InferRequestDecoder;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.protocol.NodeDocument;
import io.parallelix.node.daemon.service.ChallengeSigner;
import io.parallelix.node.daemon.service.InferenceService;
import io.parallelix.node.daemon.service.NodeStatus;
import io.parallelix.node.daemon.service.ReplayGuard;
import io.parallelix.node.daemon.service.ServiceLimits;
import io.parallelix.node.daemon.task.TensorRunner;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.testing.TestModels;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on an EmbeddedChannel: raw HTTP bytes in, raw bytes out, a real engine serving the
 * "add" model with inference run on the calling thread. Leak detection is paranoid in test JVMs;
 * every test ends with finishAndReleaseAll() == false (nothing left unread or unreleased).
 */
class NodePipelineTest {
    private static final String ADD_BODY = "{\"id\":\"h1\",\"inputs\":["
            + "{\"name\":\"a\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]},"
            + "{\"name\":\"b\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,1,1,1]}]}";

    @TempDir
    static Path dir;

    private static InferenceEngine engine;
    private static Serving services;
    private static final NodeMetrics metrics = new NodeMetrics();
    private static final Json json = new Json(1 << 20);

    @BeforeAll
    static void start() throws Exception {
        TestModels.writeAdd(dir);
        engine = InferenceEngine.open(TestModels.cpuConfig(dir));
        NodeKey key = TestNode.newKey();
        ResultSigner signer = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK);
        InferenceService service = new InferenceService(new InferenceService.Parts(
                engine,
                signer,
                metrics,
                Runnable::run, // inference on the test thread: the channel sees the answer at once
                Clock.systemUTC(),
                new ServiceLimits(4, Duration.ofSeconds(10)),
                ReplayGuard.off(Clock.systemUTC())));
        services = new Serving(
                service,
                new NodeStatus(engine, service, key, signer, "test"),
                new ChallengeSigner(signer, Runnable::run, 2),
                Map.of(
                        Endpoint.INFER,
                        new TensorEndpoint(
                                new InferRequestDecoder(json.factory()), new TensorRunner(engine), json.mapper())));
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static EmbeddedChannel channel(@Nullable Serving node, int maxBody, int maxHeader) {
        return channel(node, maxBody, maxHeader, json.mapper());
    }

    private static EmbeddedChannel channel(@Nullable Serving node, int maxBody, int maxHeader, ObjectMapper mapper) {
        return TestPipeline.channel(node, maxBody, maxHeader, mapper, metrics);
    }

    private static EmbeddedChannel channel() {
        return channel(services, 1 << 20, 8192);
    }

    private static void send(EmbeddedChannel ch, String raw) {
        TestPipeline.send(ch, raw);
    }

    private static String written(EmbeddedChannel ch) {
        return TestPipeline.written(ch);
    }

    private static String post(String path, String contentType, String body) {
        return TestPipeline.post(path, contentType, body);
    }

    @Test
    void live_answers200Json() {
        EmbeddedChannel ch = channel();
        send(ch, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n");
        String out = written(ch);
        assertThat(out)
                .startsWith("HTTP/1.1 200 OK")
                .contains("content-type: application/json")
                .endsWith("{\"live\":true}");
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void faultBuildingAnAnswer_isJson500_andTheConnectionServesTheNext() {
        ObjectMapper broken = json.mapper()
                .copy()
                .registerModule(new SimpleModule()
                        .addSerializer(NodeDocument.class, new StdSerializer<>(NodeDocument.class) {
                            @Override
                            public void serialize(NodeDocument value, JsonGenerator gen, SerializerProvider provider) {
                                throw new IllegalStateException("injected fault");
                            }
                        }));
        EmbeddedChannel ch = channel(services, 1 << 20, 8192, broken);
        send(ch, "GET /v1/node HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written(ch))
                .startsWith("HTTP/1.1 500")
                .contains("\"code\":\"internal_error\"")
                .doesNotContain("injected fault")
                .doesNotContain("at io.parallelix");
        assertThat(ch.isOpen()).isTrue();
        send(ch, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written(ch)).startsWith("HTTP/1.1 200 OK").endsWith("{\"live\":true}");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void infer_json_answersASignedEnvelope() {
        EmbeddedChannel ch = channel();
        send(ch, post("/v2/models/add/infer", "application/json", ADD_BODY));
        String out = written(ch);
        assertThat(out)
                .startsWith("HTTP/1.1 200 OK")
                .contains("\"request_id\":\"h1\"")
                .contains("\"sig_alg\":\"PS256\"");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void unknownPathAndWrongMethod_areJson404And405() {
        EmbeddedChannel ch = channel();
        send(ch, "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written(ch)).startsWith("HTTP/1.1 404").contains("\"code\":\"not_found\"");
        send(ch, "DELETE /v1/node HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written(ch))
                .startsWith("HTTP/1.1 405")
                .contains("allow: GET")
                .contains("\"code\":\"method_not_allowed\"");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void pipelinedRequests_areAnsweredInOrder() {
        EmbeddedChannel ch = channel();
        send(
                ch,
                post("/v2/models/add/infer", "application/json", ADD_BODY)
                        + "GET /v2/health/ready HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /v2/nope HTTP/1.1\r\nHost: x\r\n\r\n");
        String out = written(ch);
        int envelope = out.indexOf("\"request_id\":\"h1\"");
        int ready = out.indexOf("{\"ready\":true}");
        int notFound = out.indexOf("HTTP/1.1 404");
        assertThat(envelope).isPositive();
        assertThat(ready).isGreaterThan(envelope);
        assertThat(notFound).isGreaterThan(ready);
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void bodyOverTheLimit_is413AndTheConnectionCloses() {
        EmbeddedChannel ch = channel(services, 100, 8192);
        send(ch, post("/v2/models/add/infer", "application/json", ADD_BODY));
        String out = written(ch);
        assertThat(out)
                .startsWith("HTTP/1.1 413")
                .contains("\"code\":\"payload_too_large\"")
                .contains("connection: close");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void headersOverTheLimit_is431() {
        EmbeddedChannel ch = channel(services, 1 << 20, 1024);
        send(ch, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(2000) + "\r\n\r\n");
        String out = written(ch);
        assertThat(out).startsWith("HTTP/1.1 431").contains("\"code\":\"header_too_large\"");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void garbageRequestLine_is400() {
        EmbeddedChannel ch = channel();
        send(ch, "\u0001\u0002 nonsense\r\n\r\n");
        String out = written(ch);
        assertThat(out).startsWith("HTTP/1.1 400").contains("\"code\":\"invalid_request\"");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void wrongContentType_is415() {
        EmbeddedChannel ch = channel();
        send(ch, post("/v2/models/add/infer", "text/plain", ADD_BODY));
        assertThat(written(ch)).startsWith("HTTP/1.1 415").contains("\"code\":\"unsupported_media_type\"");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void halfARequest_afterTheReadTimeout_is408AndClosed() {
        EmbeddedChannel ch = channel();
        send(
                ch,
                "POST /v2/models/add/infer HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{\"id\"");
        assertThat(written(ch)).isEmpty();
        ch.advanceTimeBy(3, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        String out = written(ch);
        assertThat(out).startsWith("HTTP/1.1 408").contains("\"code\":\"request_timeout\"");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void http10_isAnsweredAndClosed() {
        EmbeddedChannel ch = channel();
        send(ch, "GET /v2/health/live HTTP/1.0\r\n\r\n");
        assertThat(written(ch)).contains("200 OK").endsWith("{\"live\":true}");
        assertThat(ch.isOpen()).isFalse();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void whileLoading_liveButNotReadyAndWorkIsRefused() {
        EmbeddedChannel ch = channel(null, 1 << 20, 8192);
        send(ch, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written(ch)).startsWith("HTTP/1.1 200");
        send(ch, "GET /v2/health/ready HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written(ch)).startsWith("HTTP/1.1 503").endsWith("{\"ready\":false}");
        send(ch, post("/v2/models/add/infer", "application/json", ADD_BODY));
        assertThat(written(ch))
                .startsWith("HTTP/1.1 503")
                .contains("retry-after: 5")
                .contains("models are loading");
        assertFalse(ch.finishAndReleaseAll());
    }
}
