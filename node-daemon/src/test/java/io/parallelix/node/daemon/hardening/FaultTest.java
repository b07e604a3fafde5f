package io.parallelix.node.daemon.hardening;

import static io.parallelix.node.daemon.hardening.RawHttp.get;
import static io.parallelix.node.daemon.hardening.RawHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.hardening.RawHttp.Response;
import io.parallelix.node.gpu.Safetensors;
import io.parallelix.node.gpu.testing.TestModels;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults inside the node (issue 7): a model that fails at run time, a run past its deadline, a
 * full queue, a model file replaced under a running node. One worker and a queue of one per model,
 * so "slow" in flight is the whole queue.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(60)
class FaultTest {
    private static final String ADD = """
            {"id":"%s","inputs":[{"name":"a","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},
             {"name":"b","shape":[1,4],"datatype":"FP32","data":[5,6,7,8]}]}""";
    private static final String FAILS = """
            {"id":"%s","inputs":[{"name":"x","shape":[%d],"datatype":"FP32","data":%s},
             {"name":"shape","shape":[1],"datatype":"INT64","data":[2]}]}""";
    private static final String SLOW = """
            {"id":"%s","inputs":[{"name":"iterations","shape":[],"datatype":"INT64","data":[%d]}]}""";
    /** Never finishes on its own: ends at its deadline. */
    private static final long FOREVER = Long.MAX_VALUE;

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private TestNode node;
    private int port;

    @BeforeAll
    void start() throws Exception {
        Path models = dir.resolve("models");
        TestModels.writeAdd(models);
        TestModels.writeSlow(models);
        TestModels.writeFailing(models);
        node = TestNode.start(
                dir,
                TestNode.newKey(),
                Map.of(
                        "server.workers", "1",
                        "server.queue_capacity", "1",
                        "server.request_timeout", "2s"));
        port = node.node.address().getPort();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private Response infer(String model, String json) throws Exception {
        return RawHttp.exchange(port, postJson("/v2/models/" + model + "/infer", json));
    }

    private JsonNode error(Response r, int status, String code) throws Exception {
        assertThat(r.status()).as(r.text()).isEqualTo(status);
        JsonNode e = mapper.readTree(r.body());
        assertThat(e.get("code").asText()).as(r.text()).isEqualTo(code);
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
        return e;
    }

    private void assertAddServes(String id) throws Exception {
        Response r = infer("add", ADD.formatted(id));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }

    /** pxnode_requests_total for one model and outcome (0 before the first). */
    private double requests(String model, String outcome) throws Exception {
        String metrics = RawHttp.exchange(port, get("/metrics")).text();
        Matcher m = Pattern.compile("pxnode_requests_total\\{endpoint=\"infer\",model=\"" + model + "\",outcome=\""
                        + outcome + "\"} (\\S+)")
                .matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void modelFailingAtRunTime_is500NamingTheModel_countedAndTheNodeKeepsServing() throws Exception {
        double before = requests("fails", "model_failed");
        JsonNode e = error(infer("fails", FAILS.formatted("f-1", 3, "[1,2,3]")), 500, "model_failed");
        assertThat(e.get("error").asText()).startsWith("model 'fails' failed while running:");
        assertThat(e.get("request_id").asText()).isEqualTo("f-1");
        assertThat(requests("fails", "model_failed")).isEqualTo(before + 1);

        assertAddServes("after-fail");
        Response ok = infer("fails", FAILS.formatted("f-2", 2, "[1,2]"));
        assertThat(ok.status()).as("the same session runs a valid request").isEqualTo(200);
    }

    @Test
    void runPastItsDeadline_is504_andTheSameSessionStaysUsable() throws Exception {
        double before = requests("slow", "deadline_exceeded");
        long t0 = System.nanoTime();
        JsonNode e = error(infer("slow", SLOW.formatted("d-1", FOREVER)), 504, "deadline_exceeded");
        assertThat(Duration.ofNanos(System.nanoTime() - t0))
                .as("terminated near its 2 s deadline")
                .isLessThan(Duration.ofSeconds(20));
        assertThat(e.get("request_id").asText()).isEqualTo("d-1");
        assertThat(requests("slow", "deadline_exceeded")).isEqualTo(before + 1);

        Response ok = infer("slow", SLOW.formatted("d-2", 1000));
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
        Safetensors.Tensor count = Safetensors.decode(Base64.getDecoder()
                        .decode(mapper.readTree(ok.body()).get("result").asText()))
                .tensors()
                .get(0);
        assertThat(count.data().order(ByteOrder.LITTLE_ENDIAN).getFloat(0)).isEqualTo(1000f);
    }

    @Test
    void queueFull_is503WithRetryAfter_whileTheSlowRequestIsStillRunning() throws Exception {
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return infer("slow", SLOW.formatted("q-1", FOREVER));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        awaitQueueDepth("slow", 1);

        Response refused = infer("slow", SLOW.formatted("q-2", 1));
        assertThat(inFlight)
                .as("answered while the queue's one request still runs")
                .isNotDone();
        JsonNode e = error(refused, 503, "overloaded");
        assertThat(e.get("error").asText()).contains("'slow'");
        assertThat(refused.header("retry-after")).isEqualTo("1");

        error(inFlight.get(), 504, "deadline_exceeded");
        assertThat(infer("slow", SLOW.formatted("q-3", 1)).status()).isEqualTo(200);
    }

    /**
     * ONNX Runtime read model.onnx once, at load, and the node computed its SHA-256 then: replacing
     * the file (with another valid model, or with garbage) changes nothing until a restart, which
     * loads and hashes the new file (and refuses it if config.yaml pins the old digest).
     */
    @Test
    void modelFileReplacedOnDisk_isNotReloaded_theLoadedModelAndDigestStay() throws Exception {
        String sha = mapper.readTree(
                        RawHttp.exchange(port, get("/v2/models/add")).body())
                .get("sha256")
                .asText();
        Path file = dir.resolve("models/add/model.onnx");
        Files.copy(dir.resolve("models/fails/model.onnx"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertLoadedAdd(sha, "swap-1");
        Files.writeString(file, "not a model any more");
        assertLoadedAdd(sha, "swap-2");
        assertThat(mapper.readTree(RawHttp.exchange(port, get("/v1/node")).body())
                        .get("models")
                        .findValuesAsText("sha256"))
                .contains(sha);
    }

    private void assertLoadedAdd(String sha, String id) throws Exception {
        Response r = infer("add", ADD.formatted(id));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
        JsonNode env = mapper.readTree(r.body());
        assertThat(env.at("/meta/model_sha256").asText()).isEqualTo(sha);
        Safetensors.Tensor sum = Safetensors.decode(
                        Base64.getDecoder().decode(env.get("result").asText()))
                .tensors()
                .get(0);
        assertThat(sum.name()).isEqualTo("sum");
        assertThat(sum.data().order(ByteOrder.LITTLE_ENDIAN).getFloat(12)).isEqualTo(12f);
        assertThat(mapper.readTree(RawHttp.exchange(port, get("/v2/models/add")).body())
                        .get("sha256")
                        .asText())
                .isEqualTo(sha);
    }

    private void awaitQueueDepth(String model, int depth) throws Exception {
        Pattern p = Pattern.compile("pxnode_queue_depth\\{model=\"" + model + "\"} " + depth + "\\.0");
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!p.matcher(RawHttp.exchange(port, get("/metrics")).text()).find()) {
            assertThat(System.nanoTime()).as("request admitted").isLessThan(end);
            Thread.sleep(10);
        }
    }
}
