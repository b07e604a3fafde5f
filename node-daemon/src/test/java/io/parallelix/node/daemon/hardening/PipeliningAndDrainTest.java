package io.parallelix.node.daemon.hardening;

import static io.parallelix.node.daemon.hardening.RawHttp.concat;
import static io.parallelix.node.daemon.hardening.RawHttp.get;
import static io.parallelix.node.daemon.hardening.RawHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.hardening.RawHttp.Response;
import io.parallelix.node.gpu.testing.TestModels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hardening round 2 over real sockets: pipelining past the bound loses no answered work, a
 * SIGTERM-style drain answers every request whose bytes arrived, and requests that break RFC 9112's
 * Host and version rules are refused.
 */
@Timeout(60)
class PipeliningAndDrainTest {
    private static final String ADD = """
            {"id":"%s","inputs":[{"name":"a","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},
             {"name":"b","shape":[1,4],"datatype":"FP32","data":[5,6,7,8]}]}""";
    private static final String SLOW = """
            {"id":"%s","inputs":[{"name":"iterations","shape":[],"datatype":"INT64","data":[%d]}]}""";

    @TempDir
    Path dir;

    private final ObjectMapper mapper = new ObjectMapper();

    private TestNode start(Map<String, String> overrides) throws Exception {
        Path models = dir.resolve("models");
        TestModels.writeAdd(models);
        TestModels.writeSlow(models);
        return TestNode.start(dir, TestNode.newKey(), overrides);
    }

    private static byte[] add(String id) {
        return postJson("/v2/models/add/infer", ADD.formatted(id));
    }

    private static byte[] slow(String id, long iterations) {
        return postJson("/v2/models/slow/infer", SLOW.formatted(id, iterations));
    }

    private String code(Response r) throws Exception {
        return mapper.readTree(r.body()).path("code").asText();
    }

    @Test
    void tenPipelinedInfers_everyOneIsAnsweredInOrder_andNoIdIsBurnedUnanswered() throws Exception {
        try (TestNode node = start(Map.of("server.replay_window", "5m"))) {
            int port = node.node.address().getPort();
            List<byte[]> burst = new ArrayList<>();
            burst.add(slow("first", TestModels.SLOW_ITERATIONS_PER_SECOND / 4)); // the rest wait behind it
            for (int i = 0; i < 10; i++) {
                burst.add(add("p" + i));
            }
            List<Response> answers = new ArrayList<>();
            try (RawHttp c = RawHttp.connect(port)) {
                c.send(concat(burst.toArray(byte[][]::new)));
                for (int i = 0; i < 11; i++) {
                    answers.add(c.read());
                }
                assertThat(c.send(get("/v2/health/live")).read().status())
                        .as("the connection keeps serving")
                        .isEqualTo(200);
            }
            assertThat(answers.get(0).status()).isEqualTo(200);
            for (int i = 1; i <= 10; i++) {
                Response r = answers.get(i);
                String id = "p" + (i - 1);
                if (r.status() == 200) {
                    assertThat(mapper.readTree(r.body()).path("request_id").asText())
                            .isEqualTo(id);
                } else { // refused in its turn: it never ran, so its id may be used again
                    assertThat(r.status()).as(r.text()).isEqualTo(503);
                    assertThat(code(r)).isEqualTo("overloaded");
                    assertThat(RawHttp.exchange(port, add(id)).status()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void pipelinedPastTheBound_theExcessIs503InItsTurn_andTheConnectionStays() throws Exception {
        try (TestNode node = start(Map.of())) {
            int port = node.node.address().getPort();
            List<byte[]> burst = new ArrayList<>();
            burst.add(slow("first", TestModels.SLOW_ITERATIONS_PER_SECOND / 4));
            for (int i = 0; i < 30; i++) { // small enough to arrive in the node's first read
                burst.add(get("/v2/health/live"));
            }
            List<Integer> statuses = new ArrayList<>();
            try (RawHttp c = RawHttp.connect(port)) {
                c.send(concat(burst.toArray(byte[][]::new)));
                for (int i = 0; i < 31; i++) {
                    Response r = c.read();
                    statuses.add(r.status());
                    if (r.status() == 503) {
                        assertThat(r.header("retry-after")).isNotNull();
                        assertThat(r.text()).contains("pipelined");
                    }
                }
                assertThat(c.send(get("/v2/health/live")).read().status()).isEqualTo(200);
            }
            assertThat(statuses.subList(0, 9)).containsOnly(200); // the running one and eight held
            assertThat(statuses.subList(9, 31)).contains(503).allMatch(s -> s == 200 || s == 503);
        }
    }

    @Test
    void drain_answersEveryRequestAlreadyReceived_thenCloses() throws Exception {
        TestNode node = start(Map.of());
        int port = node.node.address().getPort();
        try (RawHttp c = RawHttp.connect(port)) {
            c.send(concat(slow("heavy", TestModels.SLOW_ITERATIONS_PER_SECOND / 2), add("small-1"), add("small-2")));
            Thread.sleep(200); // the heavy one is running, the small ones wait on the connection
            Thread stopper = new Thread(node::close); // what the SIGTERM hook runs
            stopper.start();
            Response heavy = c.read();
            Response small1 = c.read();
            Response small2 = c.read();
            stopper.join(30_000);
            assertThat(heavy.status()).as("admitted before the drain").isEqualTo(200);
            assertThat(small1.status()).isEqualTo(503);
            assertThat(code(small1)).isEqualTo("overloaded");
            assertThat(small2.status()).isEqualTo(503);
            assertThat(small2.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void hostAndVersion_breakingRfc9112_are400() throws Exception {
        try (TestNode node = start(Map.of())) {
            int port = node.node.address().getPort();
            Response noHost = RawHttp.exchange(port, ascii("GET /v2/health/live HTTP/1.1\r\n\r\n"));
            assertThat(noHost.status()).isEqualTo(400);
            assertThat(noHost.text()).contains("Host");
            Response twoHosts =
                    RawHttp.exchange(port, ascii("GET /v2/health/live HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
            assertThat(twoHosts.status()).isEqualTo(400);
            assertThat(twoHosts.text()).contains("Host");
            try (RawHttp c = RawHttp.connect(port)) {
                Response v = c.send(ascii("GET /v2/health/live HTTP/9.9\r\nHost: x\r\n\r\n"))
                        .read();
                assertThat(v.status()).isEqualTo(400);
                assertThat(v.text()).contains("HTTP version");
                assertThat(c.closedByPeer()).isTrue();
            }
            Response http10 = RawHttp.exchange(port, ascii("GET /v2/health/live HTTP/1.0\r\n\r\n"));
            assertThat(http10.status()).as("HTTP/1.0 may leave Host out").isEqualTo(200);
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
