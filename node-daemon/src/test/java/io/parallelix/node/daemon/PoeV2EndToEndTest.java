package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.Verdict;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.testing.Subprocess;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * PoE v2 through the real node (asked by OIP parameter or header, said by every answer, verified
 * by both verifiers), and the runtime fingerprint signed inside the tensor result.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PoeV2EndToEndTest {
    private static final String REQUEST = """
            {"id":"%s","inputs":[
              {"name":"a","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},
              {"name":"b","shape":[1,4],"datatype":"FP32","data":[10,20,30,40]}],
             "parameters":%s}""";

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new Json(1 << 26).mapper();
    private final EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
    private TestNode node;

    @BeforeAll
    void start() throws Exception {
        TestModels.writeAdd(dir.resolve("models"));
        node = TestNode.start(dir, TestNode.newKey(), Map.of());
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private Envelope envelope(HttpResponse<byte[]> res) throws Exception {
        assertThat(res.statusCode())
                .as(new String(res.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return mapper.readValue(res.body(), Envelope.class);
    }

    private Verdict verify(Envelope e) {
        return e.verify(verifier, node.key.publicKey());
    }

    @Test
    void oipParameter_v2_envelopeSaysSoAndBothVerifiersAccept() throws Exception {
        Envelope e =
                envelope(node.postJson("/v2/models/add/infer", REQUEST.formatted("req-v2-1", "{\"poe_version\":2}")));
        assertThat(e.poeVersion()).isEqualTo(2);
        assertThat(verify(e)).isEqualTo(Verdict.ok());
        Path env = Files.write(dir.resolve("v2.json"), mapper.writeValueAsBytes(e));
        Path pub = Files.writeString(dir.resolve("node.pub"), KeyFiles.publicKeyPem(node.key.publicKey()));
        Subprocess.Result py = Tools.verifyEnvelopeScript(env, pub);
        assertThat(py.exit()).as(py.stdout() + py.stderr()).isZero();
        assertThat(py.stdout()).startsWith("valid");

        // the same request without asking is v1, and the same result bytes
        Envelope v1 = envelope(node.postJson("/v2/models/add/infer", REQUEST.formatted("req-v2-2", "{}")));
        assertThat(v1.poeVersion()).isEqualTo(1);
        assertThat(verify(v1)).isEqualTo(Verdict.ok());
    }

    @Test
    void header_v2_onOctetStream_headersSayItAndVerify() throws Exception {
        HttpResponse<byte[]> res = node.post(
                "/v2/models/add/infer",
                "application/json",
                REQUEST.formatted("req-v2-3", "{}").getBytes(StandardCharsets.UTF_8),
                "Accept",
                "application/octet-stream",
                SignedHeaders.POE_VERSION,
                "2");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue(SignedHeaders.POE_VERSION)).hasValue("2");
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.putAll(res.headers().map());
        assertThat(verifier.verifyHeaders(res.body(), headers, "req-v2-3", node.key.publicKey()))
                .isEqualTo(Verdict.ok());
    }

    @Test
    void badAsks_are400NamingTheField() throws Exception {
        byte[] plain = REQUEST.formatted("req-v2-4", "{}").getBytes(StandardCharsets.UTF_8);
        assertBadRequest(
                node.post("/v2/models/add/infer", "application/json", plain, SignedHeaders.POE_VERSION, "3"),
                SignedHeaders.POE_VERSION);
        for (String value : List.of("\"2\"", "2.0", "0", "true", "null")) {
            assertBadRequest(
                    node.postJson(
                            "/v2/models/add/infer", REQUEST.formatted("req-v2-5", "{\"poe_version\":" + value + "}")),
                    "parameters.poe_version");
        }
        assertBadRequest(
                node.post(
                        "/v2/models/add/infer",
                        "application/json",
                        REQUEST.formatted("req-v2-6", "{\"poe_version\":2}").getBytes(StandardCharsets.UTF_8),
                        SignedHeaders.POE_VERSION,
                        "1"),
                "parameters.poe_version");
        assertBadRequest(
                node.post(
                        "/v1/embeddings",
                        "application/json",
                        "{}".getBytes(StandardCharsets.UTF_8),
                        SignedHeaders.POE_VERSION,
                        "v2"),
                SignedHeaders.POE_VERSION);
    }

    @Test
    void tensorResult_carriesTheRuntimeFingerprint_sameRequestSameBytes() throws Exception {
        Envelope a = envelope(node.postJson("/v2/models/add/infer", REQUEST.formatted("req-fp-1", "{}")));
        Envelope b = envelope(node.postJson("/v2/models/add/infer", REQUEST.formatted("req-fp-2", "{}")));
        assertThat(a.result()).isEqualTo(b.result());
        Map<String, String> meta =
                io.parallelix.node.gpu.Safetensors.decode(a.result()).metadata();
        JsonNode runtime = mapper.readTree(node.get("/v1/node").body()).get("runtime");
        assertThat(meta)
                .containsEntry("pxnode.ort_version", runtime.get("ort_version").asText())
                .containsEntry("pxnode.provider", "CPUExecutionProvider")
                .containsEntry("pxnode.sig_alg", "PS256")
                .containsEntry(
                        "pxnode.deterministic",
                        Boolean.toString(a.meta().runtime().deterministic()))
                .containsKeys("pxnode.crypto_provider", "pxnode.intra_op_threads", "model", "inputs_sha256")
                .doesNotContainKeys("pxnode.cuda_version", "pxnode.compute_capability");
    }

    @Test
    void nodeDocument_advertisesBothVersions() throws Exception {
        JsonNode d = mapper.readTree(node.get("/v1/node").body());
        assertThat(d.get("poe_version").asInt()).isEqualTo(1);
        assertThat(d.get("poe_versions").toString()).isEqualTo("[1,2]");
    }

    private void assertBadRequest(HttpResponse<byte[]> res, String field) throws Exception {
        String body = new String(res.body(), StandardCharsets.UTF_8);
        assertThat(res.statusCode()).as(body).isEqualTo(400);
        assertThat(body).contains(field);
        assertThat(mapper.readTree(body).isObject()).isTrue();
    }
}
