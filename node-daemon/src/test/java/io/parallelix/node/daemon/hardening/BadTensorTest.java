package io.parallelix.node.daemon.hardening;

import static io.parallelix.node.daemon.hardening.RawHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.cli.DefaultModel;
import io.parallelix.node.daemon.hardening.RawHttp.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tensors the bundled MiniLM cannot take, over real sockets (issue 12, item 7). Each used to be a
 * 500 model_failed with a stack trace in the log, and a 1 MB unknown input name came back whole in
 * a 1 MB body. Now: 400, a code saying whose mistake it is (invalid_request: the request does not
 * fit the model; invalid_input: the model refused its values), the input named, a small body, and
 * the node still serves.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(120)
class BadTensorTest {
    private static final String MODEL = "minilm";
    private static final int SMALL_BODY = 2048;

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicInteger requests = new AtomicInteger();
    private TestNode node;
    private int port;

    @BeforeAll
    void start() throws Exception {
        Path installed =
                DefaultModel.install(Files.createDirectories(dir.resolve("models"))); // its pin, canary, limits
        Files.move(installed, installed.resolveSibling(MODEL));
        node = TestNode.start(dir, TestNode.newKey(), Map.of());
        port = node.node.address().getPort();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @AfterEach
    void stillServes() throws Exception {
        Response ok = infer(request("\"input_ids\"", 3, "[101,7592,102]", "[1,1,1]", "[0,0,0]"));
        assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    }

    @Test
    void tokenIdBeyondTheVocabulary_is400InvalidInput() throws Exception {
        JsonNode e =
                error(infer(request("\"input_ids\"", 3, "[101,999999,102]", "[1,1,1]", "[0,0,0]")), "invalid_input");

        assertThat(e.get("error").asText())
                .startsWith("inputs: model 'minilm' refused the input values")
                .contains("word_embeddings/Gather")
                .contains("idx=999999");
    }

    @Test
    void tokenTypeBeyondItsTable_is400InvalidInput() throws Exception {
        JsonNode e = error(infer(request("\"input_ids\"", 3, "[101,7592,102]", "[1,1,1]", "[0,5,0]")), "invalid_input");

        assertThat(e.get("error").asText())
                .contains("token_type_embeddings/Gather")
                .contains("idx=5");
    }

    @Test
    void sequenceBeyond512_is400NamingTheInput() throws Exception {
        for (int tokens : new int[] {513, 600}) {
            String ones = ones(tokens);
            JsonNode e = error(infer(request("\"input_ids\"", tokens, ones, ones, zeros(tokens))), "invalid_request");

            assertThat(e.get("error").asText())
                    .as("%d tokens", tokens)
                    .startsWith("inputs[0].shape: input 'input_ids' dimension 1 (sequence) is " + tokens)
                    .contains("limits.max_sequence");
        }
    }

    @Test
    void millionTokens_is400BeforeTheModelRuns() throws Exception {
        String million = zeros(1_000_000);
        JsonNode e = error(infer(request("\"input_ids\"", 1_000_000, million, million, million)), "invalid_request");

        assertThat(e.get("error").asText()).contains("input 'input_ids' dimension 1 (sequence) is 1000000");
    }

    @Test
    void inputsOfDifferentSequenceLengths_is400NamingBoth() throws Exception {
        String json = "{\"id\":\"mismatch\",\"inputs\":[" + tensor("\"input_ids\"", 3, "[101,7592,102]") + ","
                + tensor("\"attention_mask\"", 4, "[1,1,1,1]") + "," + tensor("\"token_type_ids\"", 3, "[0,0,0]")
                + "]}";
        JsonNode e = error(infer(json), "invalid_request");

        assertThat(e.get("error").asText())
                .startsWith("inputs[1].shape: input 'attention_mask' dimension 1 (sequence_length) is 4, but input"
                        + " 'input_ids' has sequence_length 3");
    }

    @Test
    void megabyteInputName_answeredWithASmallBody() throws Exception {
        String name = "\"" + String.join("", Collections.nCopies(1 << 20, "n")) + "\"";
        JsonNode e = error(infer(request(name, 3, "[101,7592,102]", "[1,1,1]", "[0,0,0]")), "invalid_request");

        assertThat(e.get("error").asText()).contains("has no input 'nnnn").contains("...'");
    }

    private Response infer(String json) throws Exception {
        return RawHttp.exchange(port, postJson("/v2/models/" + MODEL + "/infer", json));
    }

    private JsonNode error(Response r, String code) throws Exception {
        assertThat(r.status())
                .as(r.text().substring(0, Math.min(300, r.text().length())))
                .isEqualTo(400);
        assertThat(r.body().length).as("error body size").isLessThan(SMALL_BODY);
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
        JsonNode e = mapper.readTree(r.body());
        assertThat(e.get("code").asText()).as(r.text()).isEqualTo(code);
        return e;
    }

    /** input_ids (named {@code idsName}, a JSON string), attention_mask, token_type_ids, each [1, tokens]. */
    private String request(String idsName, int tokens, String ids, String mask, String types) {
        return "{\"id\":\"bad-" + requests.incrementAndGet() + "\",\"inputs\":[" + tensor(idsName, tokens, ids) + ","
                + tensor("\"attention_mask\"", tokens, mask) + "," + tensor("\"token_type_ids\"", tokens, types) + "]}";
    }

    private static String tensor(String name, int tokens, String data) {
        return "{\"name\":" + name + ",\"shape\":[1," + tokens + "],\"datatype\":\"INT64\",\"data\":" + data + "}";
    }

    private static String ones(int n) {
        return "[" + String.join(",", Collections.nCopies(n, "1")) + "]";
    }

    private static String zeros(int n) {
        return "[" + String.join(",", Collections.nCopies(n, "0")) + "]";
    }
}
