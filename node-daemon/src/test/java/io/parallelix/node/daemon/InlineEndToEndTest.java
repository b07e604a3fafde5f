package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.gpu.testing.TestModels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * server.inline_max through a real node: a tiny model's requests move to the event loop once
 * measured short, and are answered exactly as on a worker; large bodies stay on the workers; the
 * loop keeps answering its other requests.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class InlineEndToEndTest {
    private static final String ADD = NodeEndToEndTest.ADD_REQUEST;
    private static final Pattern INLINE = Pattern.compile("pxnode_inline_tasks_total\\{model=\"add\"} ([0-9.]+)");

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new Json(1 << 26).mapper();
    private TestNode node;

    @BeforeAll
    void start() throws Exception {
        TestModels.writeAdd(dir.resolve("models"));
        // a bound no add request comes near, however slow this machine's signatures are today
        node = TestNode.start(dir, TestNode.newKey(), Map.of("server.inline_max", "10s"));
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private Envelope answer(String json) throws Exception {
        HttpResponse<byte[]> res = node.postJson("/v2/models/add/infer", json);
        assertThat(res.statusCode())
                .as(new String(res.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        Envelope e = mapper.readValue(res.body(), Envelope.class);
        assertThat(new EnvelopeVerifier(CryptoProvider.JDK)
                        .verifyHexPoe(
                                e.requestId(),
                                e.result(),
                                e.nodeId(),
                                e.poe(),
                                e.sig(),
                                e.sigAlg(),
                                node.key.publicKey())
                        .valid())
                .isTrue();
        return e;
    }

    private long inlineCount() throws Exception {
        String metrics = new String(node.get("/metrics").body(), StandardCharsets.UTF_8);
        Matcher m = INLINE.matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void shortRequestsMoveToTheEventLoop_answeredAsOnAWorker_largeBodiesStayOnTheWorkers() throws Exception {
        byte[] first = answer(ADD.formatted("first")).result();
        assertThat(inlineCount()).as("unmeasured: on a worker").isZero();

        List<byte[]> results = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                sent.add(clients.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        results.add(
                                answer(ADD.formatted("c" + client + "-" + i)).result());
                        assertThat(node.get("/v2/health/ready").statusCode()).isEqualTo(200);
                    }
                    return null;
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
        } finally {
            clients.shutdownNow();
        }
        assertThat(results).hasSize(40).allSatisfy(r -> assertThat(r).isEqualTo(first));

        long before = inlineCount();
        assertThat(before).as("warmed up by now").isPositive();
        for (int i = 0; i < 5; i++) {
            assertThat(answer(ADD.formatted("seq-" + i)).result()).isEqualTo(first);
            assertThat(inlineCount()).isEqualTo(before + i + 1);
        }

        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 4 * 1500; i++) {
            data.append(i == 0 ? "" : ",").append(i % 10);
        }
        String large =
                ("{\"id\":\"large\",\"inputs\":[{\"name\":\"a\",\"shape\":[1500,4],\"datatype\":\"FP32\",\"data\":[%s]},"
                                + "{\"name\":\"b\",\"shape\":[1500,4],\"datatype\":\"FP32\",\"data\":[%s]}]}")
                        .formatted(data, data);
        assertThat(large.length()).isGreaterThan(16 * 1024);
        long inlined = inlineCount();
        answer(large);
        assertThat(inlineCount()).as("a body over 16 KiB runs on a worker").isEqualTo(inlined);
    }
}
