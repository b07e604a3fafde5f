package io.parallelix.node.daemon.http;

import static io.parallelix.node.daemon.http.TestPipeline.post;
import static io.parallelix.node.daemon.http.TestPipeline.send;
import static io.parallelix.node.daemon.http.TestPipeline.written;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.channel.embedded.EmbeddedChannel;
import io.parallelix.node.crypto.CryptoProvider;
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
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.Executor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streamed answers through the whole pipeline on an EmbeddedChannel, without ONNX Runtime: a
 * fake engine and the test-only streaming kind behind the infer route, tasks run inline.
 */
class StreamingPipelineTest {
    private static final Json json = new Json(1 << 20);
    private static final NodeMetrics metrics = new NodeMetrics();
    private static NodeKey key;
    private static ResultSigner signer;

    @BeforeAll
    static void keys() throws Exception {
        key = TestNode.newKey();
        signer = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK);
    }

    private static Serving serving(Executor workers, int queue) {
        FakeEngine engine = new FakeEngine("count");
        InferenceService service = new InferenceService(new InferenceService.Parts(
                engine,
                signer,
                metrics,
                workers,
                Clock.systemUTC(),
                new ServiceLimits(queue, Duration.ofSeconds(10)),
                ReplayGuard.off(Clock.systemUTC())));
        return new Serving(
                service,
                new NodeStatus(engine, service, key, signer, "test"),
                new ChallengeSigner(signer, workers, 2),
                Map.of(Endpoint.INFER, new CountingKind(json.mapper())));
    }

    /** Tasks run inline, on the channel's thread: each answer is written before the next read. */
    private static EmbeddedChannel channel() {
        return TestPipeline.channel(serving(Runnable::run, 4), 1 << 20, 8192, json.mapper(), metrics);
    }

    private static String count(String body) {
        return post("/v2/models/count/infer", "application/json", body);
    }

    @Test
    void stream_isChunked_withTheSignedTrailerLast() {
        EmbeddedChannel ch = channel();
        send(ch, count("{\"id\":\"s1\",\"n\":3,\"bytes\":4}"));
        String out = written(ch);
        assertThat(out)
                .startsWith("HTTP/1.1 200 OK")
                .contains("transfer-encoding: chunked")
                .contains("content-type: text/event-stream")
                .contains("data: 0 xxxx\n\n")
                .contains("data: 2 xxxx\n\n")
                .contains(CountingKind.TRAILER)
                .endsWith("data: [DONE]\n\n\r\n0\r\n\r\n");
        assertThat(out.indexOf("data: 2 ")).isLessThan(out.indexOf(CountingKind.TRAILER));
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void nothingEmitted_isAWholeAnswer() {
        EmbeddedChannel ch = channel();
        send(ch, count("{\"id\":\"s0\",\"n\":0}"));
        assertThat(written(ch))
                .startsWith("HTTP/1.1 200 OK")
                .contains("content-length: 7")
                .doesNotContain("chunked")
                .endsWith("{\"n\":0}");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void pipelinedAfterAStream_isAnsweredAfterItsEnd_onTheSameConnection() {
        EmbeddedChannel ch = channel();
        send(
                ch,
                count("{\"id\":\"p1\",\"n\":2}") + "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n"
                        + count("{\"id\":\"p2\",\"n\":1}"));
        String out = written(ch);
        int firstEnd = out.indexOf("0\r\n\r\n");
        int live = out.indexOf("{\"live\":true}");
        int second = out.indexOf("data: 0 ", live);
        assertThat(firstEnd).isPositive();
        assertThat(live).isGreaterThan(firstEnd);
        assertThat(second).isGreaterThan(live);
        assertThat(ch.isOpen()).isTrue();
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void failureAfterTheStreamBegan_isAnErrorEvent_andTheConnectionServesTheNext() {
        EmbeddedChannel ch = channel();
        send(ch, count("{\"id\":\"f1\",\"n\":5,\"fail_at\":2}"));
        String out = written(ch);
        assertThat(out)
                .startsWith("HTTP/1.1 200 OK")
                .contains("data: 1 ")
                .doesNotContain("data: 2 ")
                .doesNotContain(CountingKind.TRAILER)
                .contains("event: error\ndata: model_failed")
                .endsWith("0\r\n\r\n");
        send(ch, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written(ch)).startsWith("HTTP/1.1 200 OK").endsWith("{\"live\":true}");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void failureBeforeAnyChunk_isAPlainJsonError() {
        EmbeddedChannel ch = channel();
        send(ch, count("{\"id\":\"f0\",\"n\":5,\"fail_at\":0}"));
        assertThat(written(ch)).startsWith("HTTP/1.1 500").contains("\"code\":\"model_failed\"");
        assertFalse(ch.finishAndReleaseAll());
    }

    @Test
    void moreThanEightPipelined_theExcessIs503InOrder_andNothingIsLost() {
        ArrayDeque<Runnable> queued = new ArrayDeque<>();
        EmbeddedChannel ch = TestPipeline.channel(serving(queued::add, 16), 1 << 20, 8192, json.mapper(), metrics);
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            burst.append(count("{\"id\":\"b" + i + "\",\"n\":0}"));
        }
        send(ch, burst.toString()); // all arrive while the first is still running
        for (Runnable r; (r = queued.poll()) != null; ) {
            r.run();
            ch.runPendingTasks();
        }
        String out = written(ch);
        // the first is answered at once, eight wait their turn, three are refused in theirs
        assertThat(out.split("HTTP/1.1 200 OK", -1)).hasSize(10);
        assertThat(out.split("HTTP/1.1 503", -1)).hasSize(4);
        assertThat(out.lastIndexOf("HTTP/1.1 200")).isLessThan(out.indexOf("HTTP/1.1 503"));
        assertThat(ch.isOpen()).isTrue();
        send(ch, "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n");
        assertThat(written(ch)).startsWith("HTTP/1.1 200 OK");
        assertFalse(ch.finishAndReleaseAll());
    }
}
