package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every command through the built executable (bin/pxnode), as an operator runs it. */
class PxNodeIT {
    private static final String ADD_REQUEST = "{\"id\":\"it-1\",\"inputs\":["
            + "{\"name\":\"a\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[1,2,3,4]},"
            + "{\"name\":\"b\",\"shape\":[1,4],\"datatype\":\"FP32\",\"data\":[4,3,2,1]}]}";

    @TempDir
    Path home;

    private final ObjectMapper mapper = new Json(1 << 26).mapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** Runs bin/pxnode ARGS in the test's home to completion. */
    private Subprocess.Result pxnode(String... args) throws Exception {
        return Distribution.run(home, List.of(args), Map.of(), Duration.ofSeconds(180));
    }

    private HttpResponse<String> post(String url, String body) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void versionHelpAndCompletion() throws Exception {
        Subprocess.Result v = pxnode("--version");
        assertThat(v.exit()).isZero();
        assertThat(v.stdout())
                .startsWith("pxnode ")
                .contains("onnxruntime 1.29.0")
                .contains("CUDAExecutionProvider");
        Subprocess.Result h = pxnode("--help");
        assertThat(h.stdout()).contains("serve", "keygen", "identity", "self-test", "verify", "generate-completion");
        Subprocess.Result c = pxnode("generate-completion");
        assertThat(c.exit()).isZero();
        assertThat(c.stdout()).contains("complete -F");
    }

    @Test
    void keygenThenIdentity_agreeOnTheNodeId() throws Exception {
        Path key = home.resolve("keys/node-key.pem");
        Subprocess.Result k = pxnode("keygen", "--out", key.toString(), "--bits", "2048");
        assertThat(k.exit()).as(k.stderr()).isZero();
        String nodeId = Tools.nodeIdLine(k.stdout());
        Subprocess.Result id = pxnode("identity", "--key", key.toString());
        assertThat(id.stdout()).contains("node_id: " + nodeId).contains("BEGIN PUBLIC KEY");
        Subprocess.Result again = pxnode("keygen", "--out", key.toString());
        assertThat(again.exit()).isEqualTo(4);
        assertThat(again.stderr().strip()).startsWith("pxnode: ").doesNotContain("\n");
    }

    @Test
    void serve_answersAVerifiableEnvelopeAndDrainsOnSigterm() throws Exception {
        TestModels.writeAdd(home.resolve("models"));
        pxnode("keygen", "--out", home.resolve("node-key.pem").toString(), "--bits", "2048");
        List<String> cmd = List.of(
                Distribution.launcher().toString(),
                "serve",
                "--data-dir",
                home.toString(),
                "--provider",
                "cpu",
                "--listen",
                "127.0.0.1:0");
        try (Distribution.Running node = Distribution.start(home, cmd, Map.of(), "node.log")) {
            HttpResponse<String> res = post(node.url() + "/v2/models/add/infer", ADD_REQUEST);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            Path env = Files.writeString(home.resolve("envelope.json"), res.body());

            Subprocess.Result v = pxnode("verify", env.toString(), "--node", node.url());
            assertThat(v.stdout().strip()).as(v.stderr()).isEqualTo("valid");
            assertThat(v.exit()).isZero();
            Subprocess.Result id = pxnode("identity", "--node", node.url());
            assertThat(id.stdout()).contains("node_id: " + node.nodeId());
            Files.writeString(
                    home.resolve("id.json"),
                    http.send(
                                    HttpRequest.newBuilder(URI.create(node.url() + "/v1/node"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .body());
            Subprocess.Result py = Tools.verifyEnvelopeScript(env, home.resolve("id.json"));
            assertThat(py.stdout()).startsWith("valid");
            JsonNode tensors = mapper.readTree(py.stdout().substring(py.stdout().indexOf('\n') + 1));
            assertThat(tensors.at("/tensors/sum/data").toString()).isEqualTo("[5.0,5.0,5.0,5.0]");

            int exit = node.terminate(Duration.ofSeconds(40));
            assertThat(exit).as(node.output()).isEqualTo(143); // the JVM's exit after SIGTERM and the drain
            assertThat(node.output()).contains("stopped");
        }
    }

    @Test
    void selfTest_passesOnAGoodNodeAndFailsWithoutItsKey() throws Exception {
        TestModels.writeAdd(home.resolve("models"));
        Subprocess.Result noKey = pxnode("self-test", "--data-dir", home.toString(), "--provider", "cpu");
        assertThat(noKey.exit()).isEqualTo(1);
        assertThat(noKey.stdout()).contains("FAIL  key").contains("self-test FAILED");

        pxnode("keygen", "--out", home.resolve("node-key.pem").toString(), "--bits", "2048");
        Subprocess.Result ok = pxnode("self-test", "--data-dir", home.toString(), "--provider", "cpu");
        assertThat(ok.exit()).as(ok.stdout() + ok.stderr()).isZero();
        assertThat(ok.stdout())
                .contains("ok    crypto")
                .contains("ok    key")
                .contains("ok    gpu")
                .contains("ok    models")
                .contains("ok    request")
                .contains("self-test passed");
        Subprocess.Result json = pxnode("self-test", "--data-dir", home.toString(), "--provider", "cpu", "--json");
        assertThat(json.exit()).isZero();
        JsonNode doc = readJson(json.stdout()); // stdout is the document alone: logs go to stderr
        assertThat(doc.get("ok").asBoolean()).isTrue();
        assertThat(doc.get("checks").findValuesAsText("name"))
                .containsExactly("crypto", "key", "gpu", "models", "request");
    }

    private JsonNode readJson(String text) {
        try {
            return mapper.readTree(text);
        } catch (java.io.IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void errors_areOneLineWithTheirExitCode() throws Exception {
        Subprocess.Result cfg =
                pxnode("serve", "--config", home.resolve("none.yaml").toString());
        assertThat(cfg.exit()).isEqualTo(3);
        assertThat(cfg.stderr().strip())
                .isEqualTo("pxnode: config file " + home.resolve("none.yaml") + " does not exist");
        Subprocess.Result usage = pxnode("verify", "--bogus");
        assertThat(usage.exit()).isEqualTo(2);
    }

    /** README's quick start on a fresh machine: `scripts/pxnode serve`, then a request, then verify. */
    @Test
    void quickStart_bundledModelGivesAVerifiedEnvelope() throws Exception {
        List<String> cmd = List.of(RepoRoot.resolve("scripts/pxnode").toString(), "serve");
        try (Distribution.Running node =
                Distribution.start(home, cmd, Map.of("PXNODE_LISTEN", "127.0.0.1:0"), "node.log")) {
            assertThat(node.output())
                    .contains("generated a new 3072-bit node key")
                    .contains("installed the bundled model");
            String req = "{\"id\":\"quick-1\",\"inputs\":["
                    + "{\"name\":\"input_ids\",\"shape\":[1,4],\"datatype\":\"INT64\",\"data\":[101,7592,2088,102]},"
                    + "{\"name\":\"attention_mask\",\"shape\":[1,4],\"datatype\":\"INT64\",\"data\":[1,1,1,1]},"
                    + "{\"name\":\"token_type_ids\",\"shape\":[1,4],\"datatype\":\"INT64\",\"data\":[0,0,0,0]}]}";
            HttpResponse<String> res = post(node.url() + "/v2/models/all-minilm-l6-v2/infer", req);
            assertThat(res.statusCode()).as(res.body()).isEqualTo(200);
            Path env = Files.writeString(home.resolve("envelope.json"), res.body());
            Subprocess.Result v = pxnode("verify", env.toString(), "--node", node.url());
            assertThat(v.stdout().strip()).isEqualTo("valid");
            assertThat(node.terminate(Duration.ofSeconds(40))).isEqualTo(143);
        }
    }
}
