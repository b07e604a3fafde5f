package io.parallelix.node.daemon.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.protocol.EmbeddingsRequest;
import io.parallelix.node.daemon.protocol.StageTimings;
import io.parallelix.node.daemon.protocol.Task;
import io.parallelix.node.gpu.EmbeddingInput;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeMetricsTest {
    @TempDir
    Path dir;

    private static String scrape(NodeMetrics metrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        metrics.writeTo(out);
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void request_modelTheNodeDoesNotServe_isCountedUnderOneFixedLabel() throws Exception {
        NodeMetrics metrics = new NodeMetrics();
        metrics.model("add", "CPUExecutionProvider", true, true);

        metrics.request("infer", "add", "ok");
        metrics.request("model_ready", "nope-1", "not_found");
        metrics.request("model_ready", "nope-2", "not_found");
        metrics.request("http", "", "request_timeout");

        assertThat(scrape(metrics))
                .contains("pxnode_requests_total{endpoint=\"infer\",model=\"add\",outcome=\"ok\"} 1.0")
                .contains(
                        "pxnode_requests_total{endpoint=\"model_ready\",model=\"_unknown\",outcome=\"not_found\"} 2.0")
                .contains("pxnode_requests_total{endpoint=\"http\",model=\"\",outcome=\"request_timeout\"} 1.0")
                .doesNotContain("nope-");
    }

    @Test
    void stageAndQueueDepth_modelTheNodeDoesNotServe_useTheFixedLabel() throws Exception {
        NodeMetrics metrics = new NodeMetrics();
        metrics.model("add", "CPUExecutionProvider", true, true);

        StageTimings t = new StageTimings(1, 1, 1, 1, 1, 1, 1, 8);
        metrics.stages("add", t);
        metrics.stages("other", t);
        metrics.queueDepth("other", 1);

        assertThat(scrape(metrics))
                .contains("pxnode_stage_seconds_count{model=\"add\",stage=\"run\"} 1")
                .contains("pxnode_stage_seconds_count{model=\"_unknown\",stage=\"run\"} 1")
                .contains("pxnode_queue_depth{model=\"_unknown\"} 1.0")
                .doesNotContain("\"other\"");
    }

    @Test
    void answered_embeddingsRequest_countsOneVectorPerInput_otherTasksNothing() throws Exception {
        NodeMetrics metrics = new NodeMetrics();
        metrics.model("e", "CPUExecutionProvider", true, true);
        List<EmbeddingInput> three = List.of(
                new EmbeddingInput.Text("a"), new EmbeddingInput.Text("b"), new EmbeddingInput.Tokens(new int[] {1}));

        metrics.answered(
                "e", new EmbeddingsRequest("r1", "e", three, false, EmbeddingsRequest.Encoding.FLOAT, 0, false));
        metrics.answered(
                "e",
                new EmbeddingsRequest(
                        "r2", "e", three.subList(0, 1), true, EmbeddingsRequest.Encoding.BASE64, 0, false));
        metrics.answered("add", new Task() {
            @Override
            public String requestId() {
                return "r3";
            }

            @Override
            public @Nullable String modelSha256() {
                return null;
            }
        });

        assertThat(scrape(metrics))
                .contains("pxnode_embeddings_total{model=\"e\"} 4.0")
                .doesNotContain("pxnode_embeddings_total{model=\"add\"}")
                .doesNotContain("pxnode_embeddings_total{model=\"_unknown\"}");
    }

    @Test
    void scrape_directMemoryUsedAndItsLimit_arePresentBeforeAnyRequest() throws Exception {
        assertThat(scrape(new NodeMetrics()))
                .containsPattern("\npxnode_direct_memory_used_bytes \\d")
                .containsPattern("\npxnode_direct_memory_max_bytes [1-9]")
                .contains("\nprocess_resident_memory_bytes ");
    }

    /** Issue 12 item 6: unique unknown model names used to add a series each, without bound. */
    @Test
    void metrics_manyUnknownModelNamesOverHttp_stayBoundedAndNameNone() throws Exception {
        TestModels.writeAdd(dir.resolve("models"));
        try (TestNode node = TestNode.start(dir, TestNode.newKey(), Map.of())) {
            assertThat(node.get("/v2/models/add/ready").statusCode()).isEqualTo(200);
            assertThat(node.get("/v2/models/unknown-warmup/ready").statusCode()).isEqualTo(404);
            int before = node.get("/metrics").body().length;

            for (int i = 0; i < 500; i++) {
                HttpResponse<byte[]> r = node.get("/v2/models/unknown-" + i + "-x/ready");
                assertThat(r.statusCode()).as("request %d", i).isEqualTo(404);
            }
            String after = new String(node.get("/metrics").body(), StandardCharsets.UTF_8);

            assertThat(after.length()).as("/metrics grew from %d bytes", before).isLessThan(before + 4096);
            assertThat(after)
                    .doesNotContain("unknown-")
                    .contains("pxnode_requests_total{endpoint=\"model_ready\",model=\"_unknown\",outcome=\"not_found\"}"
                            + " 501.0")
                    .contains("pxnode_requests_total{endpoint=\"model_ready\",model=\"add\",outcome=\"ok\"} 1.0");
        }
    }
}
