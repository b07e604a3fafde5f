package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.Verdict;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.gpu.Safetensors;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
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
import org.junit.jupiter.api.io.TempDir;

/** One real node on loopback serving generated models; every endpoint end to end. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NodeEndToEndTest {
    private static final String ADD_REQUEST = """
            {"id":"%s","inputs":[
              {"name":"a","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},
              {"name":"b","shape":[1,4],"datatype":"FP32","data":[10,20,30,40]}],
             "outputs":[{"name":"sum"}]}""";

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new Json(1 << 26).mapper();
    private TestNode node;

    @BeforeAll
    void start() throws Exception {
        Path models = dir.resolve("models");
        TestModels.writeAdd(models);
        TestModels.writeAllTypes(models);
        // inline runs (server.inline_max) with a bound no add request comes near, however slow this
        // machine's signatures are today: after warm-up the add requests below run on the event loops
        node = TestNode.start(dir, TestNode.newKey(), Map.of("server.inline_max", "10s"));
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private Envelope envelope(HttpResponse<byte[]> res) throws Exception {
        assertThat(res.statusCode())
                .as(new String(res.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/json");
        return mapper.readValue(res.body(), Envelope.class);
    }

    private Verdict verify(Envelope e, NodeKey key) {
        return new EnvelopeVerifier(CryptoProvider.JDK)
                .verifyHexPoe(e.requestId(), e.result(), e.nodeId(), e.poe(), e.sig(), e.sigAlg(), key.publicKey());
    }

    private static float[] floats(Safetensors.Tensor t) {
        ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[b.remaining() / 4];
        b.asFloatBuffer().get(out);
        return out;
    }

    @Test
    void infer_json_envelopeVerifiesInJavaAndInThePythonReference() throws Exception {
        Envelope e = envelope(node.postJson("/v2/models/add/infer", ADD_REQUEST.formatted("req-e2e-1")));
        assertThat(e.requestId()).isEqualTo("req-e2e-1");
        assertThat(e.nodeId()).isEqualTo(node.key.nodeId().hex());
        assertThat(e.resultFormat()).isEqualTo("safetensors");
        assertThat(e.sigAlg()).isEqualTo("PS256");
        assertThat(e.poeVersion()).isEqualTo(1);
        assertThat(verify(e, node.key).valid()).isTrue();
        Safetensors.File result = Safetensors.decode(e.result());
        assertThat(result.tensors()).extracting(Safetensors.Tensor::name).containsExactly("sum");
        assertThat(floats(result.tensors().get(0))).containsExactly(11f, 22f, 33f, 44f);
        assertThat(result.metadata()).containsEntry("model", "add");
        assertThat(e.meta().model()).isEqualTo("add");
        assertThat(e.meta().timingsUs().total()).isPositive();

        Path env = Files.write(dir.resolve("envelope.json"), mapper.writeValueAsBytes(e));
        Path pub = dir.resolve("node.pub.pem");
        Files.writeString(pub, KeyFiles.publicKeyPem(node.key.publicKey()));
        Subprocess.Result py = Tools.verifyEnvelopeScript(env, pub);
        assertThat(py.exit()).as(py.stdout() + py.stderr()).isZero();
        String[] lines = py.stdout().split("\n", 2);
        assertThat(lines[0]).isEqualTo("valid");
        JsonNode printed = mapper.readTree(lines[1]);
        assertThat(printed.at("/tensors/sum/dtype").asText()).isEqualTo("F32");
        assertThat(printed.at("/tensors/sum/shape").toString()).isEqualTo("[1,4]");
        assertThat(printed.at("/tensors/sum/data").toString()).isEqualTo("[11.0,22.0,33.0,44.0]");

        // a tampered result is rejected by the same reference
        byte[] tampered = e.result().clone();
        tampered[tampered.length - 1] ^= 1;
        Files.write(
                env,
                mapper.writeValueAsBytes(new Envelope(
                        e.requestId(),
                        e.nodeId(),
                        tampered,
                        e.resultFormat(),
                        e.poe(),
                        e.sig(),
                        e.sigAlg(),
                        e.poeVersion(),
                        e.meta())));
        Subprocess.Result bad = Subprocess.of(
                        RepoRoot.path(),
                        "python3",
                        "scripts/verify_envelope.py",
                        env.toString(),
                        "--public-key",
                        pub.toString())
                .run();
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.stdout()).startsWith("invalid: poe");
    }

    @Test
    void infer_binaryExtension_givesTheSameResultBytesAsJson() throws Exception {
        String json = """
                {"id":"req-bin","inputs":[
                  {"name":"a","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16}},
                  {"name":"b","shape":[1,4],"datatype":"FP32","parameters":{"binary_data_size":16}}]}""";
        byte[] head = json.getBytes(StandardCharsets.UTF_8);
        ByteBuffer data = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : new float[] {1, 2, 3, 4, 10, 20, 30, 40}) {
            data.putFloat(f);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(head);
        body.writeBytes(data.array());
        Envelope binary = envelope(node.post(
                "/v2/models/add/infer",
                "application/octet-stream",
                body.toByteArray(),
                "Inference-Header-Content-Length",
                Integer.toString(head.length)));
        Envelope plain = envelope(node.postJson("/v2/models/add/infer", ADD_REQUEST.formatted("req-bin")));
        assertThat(binary.result()).isEqualTo(plain.result());
        assertThat(binary.poe()).isEqualTo(plain.poe());
        assertThat(verify(binary, node.key).valid()).isTrue();
    }

    @Test
    void infer_acceptOctetStream_bodyIsTheResultAndHeadersCarryTheRest() throws Exception {
        HttpResponse<byte[]> res = node.post(
                "/v2/models/add/infer",
                "application/json",
                ADD_REQUEST.formatted("req-raw").getBytes(StandardCharsets.UTF_8),
                "Accept",
                "application/octet-stream");
        assertThat(res.statusCode()).isEqualTo(200);
        assertThat(res.headers().firstValue("content-type")).hasValue("application/octet-stream");
        String poe = res.headers().firstValue("pxnode-poe").orElseThrow();
        byte[] sig = Base64.getDecoder()
                .decode(res.headers().firstValue("pxnode-sig").orElseThrow());
        Verdict v = new EnvelopeVerifier(CryptoProvider.JDK)
                .verify(
                        res.headers().firstValue("pxnode-request-id").orElseThrow(),
                        res.body(),
                        res.headers().firstValue("pxnode-node-id").orElseThrow(),
                        HexFormat.of().parseHex(poe),
                        sig,
                        res.headers().firstValue("pxnode-sig-alg").orElseThrow(),
                        node.key.publicKey());
        assertThat(v.valid()).as(v.detail()).isTrue();
        assertThat(res.headers().firstValue("pxnode-poe-version")).hasValue("1");
        assertThat(mapper.readTree(res.headers().firstValue("pxnode-meta").orElseThrow())
                        .get("model")
                        .asText())
                .isEqualTo("add");
    }

    @Test
    void infer_everyDatatype_roundTripsThroughTheNode() throws Exception {
        String json = """
                {"id":"types","inputs":[
                 {"name":"in_bool","shape":[1,2],"datatype":"BOOL","data":[true,false]},
                 {"name":"in_uint8","shape":[1,2],"datatype":"UINT8","data":[0,255]},
                 {"name":"in_int8","shape":[1,2],"datatype":"INT8","data":[-128,127]},
                 {"name":"in_int16","shape":[1,2],"datatype":"INT16","data":[-300,300]},
                 {"name":"in_int32","shape":[1,2],"datatype":"INT32","data":[-70000,70000]},
                 {"name":"in_int64","shape":[1,2],"datatype":"INT64","data":[-5000000000,5000000000]},
                 {"name":"in_fp16","shape":[1,2],"datatype":"FP16","data":[1.5,-2]},
                 {"name":"in_bf16","shape":[1,2],"datatype":"BF16","data":[1.5,-2]},
                 {"name":"in_fp32","shape":[1,2],"datatype":"FP32","data":[1.5,-2]},
                 {"name":"in_fp64","shape":[1,2],"datatype":"FP64","data":[1.5,-2]},
                 {"name":"in_bytes","shape":[1,2],"datatype":"BYTES","data":["hello","wörld"]}]}""";
        Envelope e = envelope(node.postJson("/v2/models/alltypes/infer", json));
        assertThat(verify(e, node.key).valid()).isTrue();
        Safetensors.File f = Safetensors.decode(e.result());
        assertThat(f.tensors()).hasSize(11);
        Safetensors.Tensor fp32 = f.tensors().stream()
                .filter(t -> t.name().equals("out_fp32"))
                .findFirst()
                .orElseThrow();
        assertThat(floats(fp32)).containsExactly(1.5f, -2f);
        Safetensors.Tensor i64 = f.tensors().stream()
                .filter(t -> t.name().equals("out_int64"))
                .findFirst()
                .orElseThrow();
        assertThat(i64.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).getLong(8))
                .isEqualTo(5_000_000_000L);
    }

    @Test
    void nodeDocumentAndChallenge_proveTheKey() throws Exception {
        HttpResponse<byte[]> doc = node.get("/v1/node");
        assertThat(doc.statusCode()).isEqualTo(200);
        JsonNode d = mapper.readTree(doc.body());
        assertThat(d.get("node_id").asText()).isEqualTo(node.key.nodeId().hex());
        assertThat(KeyFiles.parsePublicKeyPem(d.get("public_key").asText())).isEqualTo(node.key.publicKey());
        assertThat(d.get("sig_alg").asText()).isEqualTo("PS256");
        assertThat(d.get("poe_version").asInt()).isEqualTo(1);
        assertThat(d.get("crypto_provider").asText())
                .as("crypto_provider auto (the default) says which provider it resolved to")
                .isEqualTo("AmazonCorrettoCryptoProvider 2.5.0");
        assertThat(d.at("/runtime/provider").asText()).isEqualTo("CPUExecutionProvider");
        assertThat(d.get("models").findValuesAsText("name")).containsExactlyInAnyOrder("add", "alltypes");

        String nonce = "00112233445566778899aabbccddeeff0123";
        HttpResponse<byte[]> res = node.postJson("/v1/node/challenge", "{\"nonce\":\"" + nonce + "\"}");
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode c = mapper.readTree(res.body());
        Verdict v = new EnvelopeVerifier(CryptoProvider.JDK)
                .verifyChallenge(
                        HexFormat.of().parseHex(nonce),
                        c.get("node_id").asText(),
                        Base64.getDecoder().decode(c.get("sig").asText()),
                        c.get("sig_alg").asText(),
                        node.key.publicKey());
        assertThat(v.valid()).as(v.detail()).isTrue();

        HttpResponse<byte[]> shortNonce = node.postJson("/v1/node/challenge", "{\"nonce\":\"00ff\"}");
        assertThat(shortNonce.statusCode()).isEqualTo(400);
        assertThat(mapper.readTree(shortNonce.body()).get("error").asText()).startsWith("nonce:");
    }

    @Test
    void healthAndMetadata_answerAsOip() throws Exception {
        assertThat(node.get("/v2/health/live").statusCode()).isEqualTo(200);
        HttpResponse<byte[]> ready = node.get("/v2/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(mapper.readTree(ready.body()).get("ready").asBoolean()).isTrue();
        assertThat(mapper.readTree(node.get("/v2").body()).get("extensions").toString())
                .contains("binary_tensor_data");
        JsonNode meta = mapper.readTree(node.get("/v2/models/add").body());
        assertThat(meta.get("name").asText()).isEqualTo("add");
        assertThat(meta.at("/inputs/0/shape").toString()).isEqualTo("[-1,4]");
        assertThat(meta.at("/inputs/0/datatype").asText()).isEqualTo("FP32");
        assertThat(meta.get("sha256").asText()).hasSize(64);
        assertThat(node.get("/v2/models/add/ready").statusCode()).isEqualTo(200);
        assertThat(node.get("/v2/models/nope/ready").statusCode()).isEqualTo(404);
        assertThat(node.get("/v2/models/nope").statusCode()).isEqualTo(404);
    }

    @Test
    void metrics_countRequestsAndStages() throws Exception {
        envelope(node.postJson("/v2/models/add/infer", ADD_REQUEST.formatted("req-metrics")));
        HttpResponse<byte[]> res = node.get("/metrics");
        assertThat(res.statusCode()).isEqualTo(200);
        String text = new String(res.body(), StandardCharsets.UTF_8);
        assertThat(text)
                .contains("pxnode_requests_total{endpoint=\"infer\",model=\"add\",outcome=\"ok\"}")
                .contains("pxnode_stage_seconds_bucket{model=\"add\",stage=\"run\"")
                .contains("pxnode_stage_seconds_count{model=\"add\",stage=\"sign\"}")
                .contains("pxnode_in_flight_requests")
                .contains("pxnode_model_ready{model=\"add\"} 1")
                .contains("pxnode_model_provider_info{deterministic=")
                .contains("jvm_memory_used_bytes");
    }

    @Test
    void errors_areJsonWithStatusCodeAndField() throws Exception {
        record Case(HttpResponse<byte[]> res, int status, String code, String fragment) {}
        String sha = node.node.status().models().stream()
                .filter(m -> m.name().equals("add"))
                .findFirst()
                .orElseThrow()
                .sha256();
        String other = sha.equals("0".repeat(64)) ? "1".repeat(64) : "0".repeat(64);
        List<Case> cases = List.of(
                new Case(
                        node.postJson("/v2/models/add/infer", "{\"id\":\"x\""),
                        400,
                        "invalid_request",
                        "malformed JSON"),
                new Case(
                        node.postJson("/v2/models/add/infer", ADD_REQUEST.formatted("bad id!")),
                        400,
                        "invalid_request",
                        "id:"),
                new Case(
                        node.postJson(
                                "/v2/models/add/infer",
                                ADD_REQUEST.replace("\"a\"", "\"c\"").formatted("r1")),
                        400,
                        "invalid_request",
                        "inputs"),
                new Case(
                        node.postJson(
                                "/v2/models/add/infer",
                                ADD_REQUEST.replace("[1,4]", "[1,3]").formatted("r2")),
                        400,
                        "invalid_request",
                        "inputs[0]"),
                new Case(node.postJson("/v2/models/nope/infer", ADD_REQUEST.formatted("r3")), 404, "not_found", "nope"),
                new Case(node.get("/v2/models/add/infer"), 405, "method_not_allowed", "POST"),
                new Case(node.get("/nowhere"), 404, "not_found", "/nowhere"),
                new Case(
                        node.post("/v2/models/add/infer", "text/plain", "x".getBytes(StandardCharsets.UTF_8)),
                        415,
                        "unsupported_media_type",
                        "Content-Type"),
                new Case(
                        node.postJson(
                                "/v2/models/add/infer",
                                ADD_REQUEST
                                        .replace(
                                                "\"outputs\":[{\"name\":\"sum\"}]",
                                                "\"outputs\":[{\"name\":\"sum\"}],\"parameters\":{\"model_sha256\":\""
                                                        + other + "\"}")
                                        .formatted("r4")),
                        409,
                        "model_pin_mismatch",
                        sha));
        for (Case c : cases) {
            String body = new String(c.res.body(), StandardCharsets.UTF_8);
            assertThat(c.res.statusCode()).as(body).isEqualTo(c.status);
            assertThat(c.res.headers().firstValue("content-type")).hasValue("application/json");
            JsonNode err = mapper.readTree(body);
            assertThat(err.get("code").asText()).as(body).isEqualTo(c.code);
            assertThat(err.get("error").asText()).as(body).contains(c.fragment);
            assertThat(err.has("request_id")).isTrue();
            assertThat(body).doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(mapper.readTree(cases.get(3).res.body()).get("request_id").asText())
                .isEqualTo("r2");
        assertThat(node.get("/v2/models/add/infer").headers().firstValue("allow"))
                .hasValue("POST");
        // and the node still serves
        assertThat(verify(envelope(node.postJson("/v2/models/add/infer", ADD_REQUEST.formatted("after"))), node.key)
                        .valid())
                .isTrue();
    }

    private Envelope signedAdd(String json) throws Exception {
        Envelope e = envelope(node.postJson("/v2/models/add/infer", json));
        assertThat(verify(e, node.key).valid()).isTrue();
        return e;
    }

    private long inlineCount() throws Exception {
        String metrics = new String(node.get("/metrics").body(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("pxnode_inline_tasks_total\\{model=\"add\"} ([0-9.]+)")
                .matcher(metrics);
        return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void inline_shortRequestsMoveToTheEventLoop_answeredAsOnAWorker_largeBodiesStayOnTheWorkers() throws Exception {
        byte[] first = signedAdd(ADD_REQUEST.formatted("inline-first")).result();
        List<byte[]> results = Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> sent = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                sent.add(clients.submit(() -> {
                    for (int i = 0; i < 10; i++) {
                        results.add(signedAdd(ADD_REQUEST.formatted("inline-c" + client + "-" + i))
                                .result());
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
            assertThat(signedAdd(ADD_REQUEST.formatted("inline-seq-" + i)).result())
                    .isEqualTo(first);
            assertThat(inlineCount()).isEqualTo(before + i + 1);
        }

        StringBuilder data = new StringBuilder();
        for (int i = 0; i < 4 * 1500; i++) {
            data.append(i == 0 ? "" : ",").append(i % 10);
        }
        String large = ("{\"id\":\"inline-large\",\"inputs\":["
                        + "{\"name\":\"a\",\"shape\":[1500,4],\"datatype\":\"FP32\",\"data\":[%s]},"
                        + "{\"name\":\"b\",\"shape\":[1500,4],\"datatype\":\"FP32\",\"data\":[%s]}]}")
                .formatted(data, data);
        assertThat(large.length()).isGreaterThan(16 * 1024);
        long inlined = inlineCount();
        signedAdd(large);
        assertThat(inlineCount()).as("a body over 16 KiB runs on a worker").isEqualTo(inlined);
    }
}
