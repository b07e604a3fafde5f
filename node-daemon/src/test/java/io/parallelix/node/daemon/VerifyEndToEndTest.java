package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.SignedResult;
import io.parallelix.node.daemon.cli.DefaultModel;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.gpu.testing.TestModels;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** * POST /v1/verify end to end: a claiming node (1 intra-op thread, JDK signatures) answers tensors,
 * embeddings and generations (whole and streamed, greedy and sampled); a second node with its own
 * key, 2 intra-op threads and ACCP checks each answer as received and accepts it; answers altered and re-signed
 * with the claimer's real key (a cheat) are rejected at the check that sees it; answers altered
 * without re-signing fail the signature; bad verify requests are 400 naming the field; every
 * verdict is itself signed by the verifier and bound to the verify request's id.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class VerifyEndToEndTest {
    private static final String ADD_REQUEST = """
            {"id":"%s","inputs":[
              {"name":"a","shape":[1,4],"datatype":"FP32","data":[1,2,3,4]},
              {"name":"b","shape":[1,4],"datatype":"FP32","data":[10,20,30,40]}],
             "outputs":[{"name":"sum"}]}""";

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private TestNode claimer;
    private TestNode verifier;
    private String claimerPem;

    @BeforeAll
    void start() throws Exception {
        Path models = Files.createDirectories(dir.resolve("a/models"));
        TestModels.writeAdd(models);
        DefaultModel.install(models);
        TestDecoders.write(models, TestDecoders.llama(TestDecoders.LLAMA));
        claimer = TestNode.start(dir.resolve("a"), TestNode.newKey(), Map.of());
        verifier = TestNode.start(
                Files.createDirectories(dir.resolve("b")),
                TestNode.newKey(),
                Map.of(
                        "engine.models_dir",
                        models.toString(),
                        "engine.intra_op_threads",
                        "2",
                        "key.crypto_provider",
                        "accp"));
        claimerPem = KeyFiles.publicKeyPem(claimer.key.publicKey());
    }

    @AfterAll
    void stop() {
        verifier.close();
        claimer.close();
    }

    // --- honest answers are accepted -------------------------------------------------------

    @Test
    void completion_greedyWhole_isAccepted() throws Exception {
        String request = "{\"model\":\"tiny-llama\",\"prompt\":\"Hello wo\",\"max_tokens\":12,\"temperature\":0}";
        HttpResponse<byte[]> answer = claimer.postJson("/v1/completions", request);
        JsonNode verdict = verify("tiny-llama", "/v1/completions", request, whole(answer), claimerPem);
        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("accept");
        assertThat(names(verdict)).contains("signature", "model", "runtime", "tokens");
        // how each node signs (JDK here, ACCP there) is not how the result was computed
        assertThat(verdict.at("/checks/2/statistics/differ").toString()).isEqualTo("[\"intra_op_threads\"]");
        assertThat(verdict.at("/claim/request_id").asText())
                .isEqualTo(answer.headers().firstValue("pxnode-request-id").orElseThrow());
    }

    @Test
    void chat_sampledStreamed_withLogprobs_isAccepted() throws Exception {
        String request = "{\"model\":\"tiny-llama\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                + "\"max_tokens\":10,\"temperature\":0.8,\"seed\":7,\"logprobs\":true,\"top_logprobs\":2,"
                + "\"stream\":true}";
        HttpResponse<byte[]> answer = claimer.postJson("/v1/chat/completions", request);
        ObjectNode a = mapper.createObjectNode().put("stream", new String(answer.body(), StandardCharsets.UTF_8));
        JsonNode verdict = verify("tiny-llama", "/v1/chat/completions", request, a, claimerPem);
        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("accept");
    }

    @Test
    void completion_sampledWhole_withLogprobs_twoChoices_isAccepted() throws Exception {
        String request = "{\"model\":\"tiny-llama\",\"prompt\":\"Hello\",\"max_tokens\":10,\"temperature\":0.9,"
                + "\"top_p\":0.95,\"n\":2,\"logprobs\":3}";
        HttpResponse<byte[]> answer = claimer.postJson("/v1/completions", request);
        JsonNode verdict = verify("tiny-llama", "/v1/completions", request, whole(answer), claimerPem);
        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("accept");
        assertThat(names(verdict)).contains("logprobs", "finish", "text");
    }

    @Test
    void embeddings_onAnotherThreadCount_areAccepted() throws Exception {
        String request = "{\"model\":\"" + DefaultModel.NAME + "\",\"input\":[\"the quick brown fox\",\"cafe\"]}";
        HttpResponse<byte[]> answer = claimer.postJson("/v1/embeddings", request);
        JsonNode verdict = verify(DefaultModel.NAME, "/v1/embeddings", request, whole(answer), claimerPem);
        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("accept");
        assertThat(names(verdict)).contains("embedding");
    }

    @Test
    void tensorEnvelope_isAccepted() throws Exception {
        String request = ADD_REQUEST.formatted("req-verify-add");
        HttpResponse<byte[]> answer = claimer.postJson("/v2/models/add/infer", request);
        ObjectNode a = mapper.createObjectNode();
        a.set("envelope", mapper.readTree(answer.body()));
        JsonNode verdict = verify("add", "/v2/models/add/infer", request, a, claimerPem);
        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("accept");
        assertThat(names(verdict)).contains("tensor:sum");
    }

    // --- cheats and forgeries are rejected -------------------------------------------------

    @Test
    void completion_oneTokenChangedAndResigned_isRejectedByTheTokenCheck() throws Exception {
        String request = "{\"model\":\"tiny-llama\",\"prompt\":\"Hello wo\",\"max_tokens\":12,\"temperature\":0}";
        HttpResponse<byte[]> answer = claimer.postJson("/v1/completions", request);
        ObjectNode body = (ObjectNode) mapper.readTree(answer.body());
        com.fasterxml.jackson.databind.node.ArrayNode ids =
                (com.fasterxml.jackson.databind.node.ArrayNode) body.at("/choices/0/token_ids");
        ids.set(3, ids.get(3).asInt() == 65 ? 66 : 65);
        String requestId = answer.headers().firstValue("pxnode-request-id").orElseThrow();
        JsonNode verdict = verify(
                "tiny-llama",
                "/v1/completions",
                request,
                resigned(requestId, mapper.writeValueAsBytes(body)),
                claimerPem);
        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("reject");
        assertThat(verdict.at("/first_failed/check").asText()).isIn("tokens", "text");
    }

    @Test
    void embeddings_perturbedAndResigned_areRejected() throws Exception {
        String request = "{\"model\":\"" + DefaultModel.NAME + "\",\"input\":\"the quick brown fox\"}";
        HttpResponse<byte[]> answer = claimer.postJson("/v1/embeddings", request);
        ObjectNode body = (ObjectNode) mapper.readTree(answer.body());
        com.fasterxml.jackson.databind.node.ArrayNode v =
                (com.fasterxml.jackson.databind.node.ArrayNode) body.at("/data/0/embedding");
        for (int i = 0; i < v.size(); i += 7) {
            v.set(i, v.get(i).floatValue() * 1.01f);
        }
        String requestId = answer.headers().firstValue("pxnode-request-id").orElseThrow();
        JsonNode verdict = verify(
                DefaultModel.NAME,
                "/v1/embeddings",
                request,
                resigned(requestId, mapper.writeValueAsBytes(body)),
                claimerPem);
        assertThat(verdict.path("verdict").asText()).as(verdict.toString()).isEqualTo("reject");
        assertThat(verdict.at("/first_failed/check").asText()).isEqualTo("embedding");
    }

    @Test
    void alteredWithoutResigning_orUnderAnotherKey_failsTheSignature() throws Exception {
        String request = "{\"model\":\"" + DefaultModel.NAME + "\",\"input\":\"cafe\"}";
        HttpResponse<byte[]> answer = claimer.postJson("/v1/embeddings", request);
        ObjectNode a = whole(answer);
        a.put("body", a.path("body").asText().replace("\"index\":0", "\"index\": 0"));
        JsonNode verdict = verify(DefaultModel.NAME, "/v1/embeddings", request, a, claimerPem);
        assertThat(verdict.at("/first_failed/check").asText()).isEqualTo("signature");
        JsonNode otherKey = verify(
                DefaultModel.NAME,
                "/v1/embeddings",
                request,
                whole(answer),
                KeyFiles.publicKeyPem(verifier.key.publicKey()));
        assertThat(otherKey.path("verdict").asText()).isEqualTo("reject");
        assertThat(otherKey.at("/first_failed/detail").asText()).contains("NODE_ID");
    }

    // --- the verify request itself ---------------------------------------------------------

    @Test
    void badVerifyRequests_are400NamingTheField() throws Exception {
        String request = "{\"model\":\"tiny-llama\",\"prompt\":\"Hi\",\"max_tokens\":2,\"temperature\":0}";
        ObjectNode answer = whole(claimer.postJson("/v1/completions", request));
        ObjectNode ok = body("tiny-llama", "/v1/completions", request, answer, claimerPem);
        Map<String, String> cases = Map.of(
                "endpoint", ok.deepCopy().put("endpoint", "/v1/nope").toString(),
                "answer", ok.deepCopy().without("answer").toString(),
                "public_key", ok.deepCopy().put("public_key", "not a key").toString(),
                "request.max_tokens",
                        ((ObjectNode) ok.deepCopy())
                                .set(
                                        "request",
                                        mapper.readTree(request.replace("\"max_tokens\":2", "\"max_tokens\":99999")))
                                .toString(),
                "surprise", ok.deepCopy().put("surprise", 1).toString());
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<byte[]> r = verifier.postJson("/v1/verify", c.getValue());
            String text = new String(r.body(), StandardCharsets.UTF_8);
            assertThat(r.statusCode()).as(c.getKey() + ": " + text).isEqualTo(400);
            assertThat(mapper.readTree(r.body()).at("/error/param").asText())
                    .as(text)
                    .isEqualTo(c.getKey());
        }
    }

    @Test
    void theVerdict_isSignedByTheVerifier_forTheVerifyRequestsOwnId() throws Exception {
        String request = "{\"model\":\"tiny-llama\",\"prompt\":\"Hi\",\"max_tokens\":3,\"temperature\":0}";
        ObjectNode answer = whole(claimer.postJson("/v1/completions", request));
        HttpResponse<byte[]> r = verifier.post(
                "/v1/verify",
                "application/json",
                mapper.writeValueAsBytes(body("tiny-llama", "/v1/completions", request, answer, claimerPem)),
                "Pxnode-Request-Id",
                "verify-1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("pxnode-result-format")).hasValue("pxnode.verification.v1+json");
        assertThat(new EnvelopeVerifier(CryptoProvider.JDK)
                        .verifyHeaders(r.body(), r.headers().map(), "verify-1", verifier.key.publicKey())
                        .valid())
                .isTrue();
        JsonNode verdict = mapper.readTree(r.body());
        assertThat(verdict.at("/policy/generations/tie_logit_gap").isNumber()).isTrue();
        assertThat(verdict.at("/verifier/model_sha256").asText()).hasSize(64);
    }

    // --- the CLI ---------------------------------------------------------------------------

    @Test
    void cliRerun_acceptsTheHonestAnswer_andRejectsTheCheat() throws Exception {
        String request = "{\"model\":\"tiny-llama\",\"prompt\":\"Hello wo\",\"max_tokens\":8,\"temperature\":0}";
        HttpResponse<byte[]> answer = claimer.postJson("/v1/completions", request);
        Path req = Files.writeString(dir.resolve("cli-request.json"), request);
        Path pem = Files.writeString(dir.resolve("claimer.pem"), claimerPem);
        Path body = Files.write(dir.resolve("cli.body"), answer.body());
        Path headers = Files.writeString(
                dir.resolve("cli.headers"), headerBlock(answer.headers().map()));
        String[] common = {
            "verify",
            "--rerun",
            req.toString(),
            "--endpoint",
            "/v1/completions",
            "--model",
            "tiny-llama",
            "--verifier",
            verifier.base.toString(),
            "--public-key",
            pem.toString()
        };
        Run ok = cli(concat(common, "--body", body.toString(), "--headers", headers.toString()));
        assertThat(ok.exit()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("\"verdict\" : \"accept\"").contains("accept (verdict signed by");

        ObjectNode cheat = (ObjectNode) mapper.readTree(answer.body());
        com.fasterxml.jackson.databind.node.ArrayNode ids =
                (com.fasterxml.jackson.databind.node.ArrayNode) cheat.at("/choices/0/token_ids");
        ids.set(1, ids.get(1).asInt() == 65 ? 66 : 65);
        ObjectNode forged = resigned(
                answer.headers().firstValue("pxnode-request-id").orElseThrow(), mapper.writeValueAsBytes(cheat));
        Path cheatBody =
                Files.writeString(dir.resolve("cheat.body"), forged.path("body").asText());
        StringBuilder block = new StringBuilder("HTTP/1.1 200 OK\r\n");
        forged.path("headers")
                .fields()
                .forEachRemaining(h -> block.append(h.getKey())
                        .append(": ")
                        .append(h.getValue().asText())
                        .append("\r\n"));
        Path cheatHeaders = Files.writeString(dir.resolve("cheat.headers"), block.append("\r\n"));
        Run rejected = cli(concat(common, "--body", cheatBody.toString(), "--headers", cheatHeaders.toString()));
        assertThat(rejected.exit()).as(rejected.toString()).isEqualTo(1);
        assertThat(rejected.out()).contains("reject: ");

        Run usage = cli("verify", "--rerun", req.toString(), "--public-key", pem.toString(), body.toString());
        assertThat(usage.exit()).isEqualTo(2);
        assertThat(usage.err()).contains("--endpoint");
    }

    @Test
    void cliCompare_twoNodesAnswers_agree_andAnotherPromptsDoNot() throws Exception {
        String request = "{\"model\":\"tiny-llama\",\"prompt\":\"Hello wo\",\"max_tokens\":8,\"temperature\":0}";
        Path a = Files.write(
                dir.resolve("a.json"),
                claimer.postJson("/v1/completions", request).body());
        Path b = Files.write(
                dir.resolve("b.json"),
                verifier.postJson("/v1/completions", request).body());
        Path other = Files.write(
                dir.resolve("c.json"),
                verifier.postJson("/v1/completions", request.replace("Hello wo", "Other te"))
                        .body());
        Run agree = cli("verify", "--compare", a.toString(), b.toString());
        assertThat(agree.exit()).as(agree.toString()).isZero();
        assertThat(agree.out()).contains("results agree");
        Run disagree = cli("verify", "--compare", a.toString(), other.toString());
        assertThat(disagree.exit()).as(disagree.toString()).isEqualTo(1);
        assertThat(disagree.out()).contains("results disagree");

        String embed = "{\"model\":\"" + DefaultModel.NAME + "\",\"input\":[\"a b c\",\"d e f\"]}";
        Path ea = Files.write(
                dir.resolve("ea.json"),
                claimer.postJson("/v1/embeddings", embed).body());
        Path eb = Files.write(
                dir.resolve("eb.json"),
                verifier.postJson("/v1/embeddings", embed).body());
        Run embeddings = cli("verify", "--compare", ea.toString(), eb.toString());
        assertThat(embeddings.exit()).as(embeddings.toString()).isZero();
        assertThat(embeddings.out()).contains("embedding: agree");
    }

    record Run(int exit, String out, String err) {}

    private Run cli(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = io.parallelix.node.daemon.cli.PxNode.commandLine(
                        Map.of("HOME", dir.toString()),
                        new java.io.ByteArrayInputStream(new byte[0]),
                        new java.io.PrintWriter(out, true),
                        new java.io.PrintWriter(err, true))
                .execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static String headerBlock(Map<String, List<String>> headers) {
        StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n");
        headers.forEach((name, values) ->
                values.forEach(v -> sb.append(name).append(": ").append(v).append("\r\n")));
        return sb.append("\r\n").toString();
    }

    // --- helpers ---------------------------------------------------------------------------

    private ObjectNode whole(HttpResponse<byte[]> answer) {
        assertThat(answer.statusCode())
                .as(new String(answer.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        ObjectNode a = mapper.createObjectNode().put("body", new String(answer.body(), StandardCharsets.UTF_8));
        ObjectNode headers = a.putObject("headers");
        answer.headers().map().forEach((name, values) -> {
            if (name.toLowerCase(java.util.Locale.ROOT).startsWith("pxnode-")) {
                headers.put(name, values.get(0));
            }
        });
        return a;
    }

    /** What a cheating claimer sends: other bytes, signed properly with its own key. */
    private ObjectNode resigned(String requestId, byte[] result) throws Exception {
        NodeKey key = claimer.key;
        SignedResult s = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK).sign(requestId, result);
        ObjectNode a = mapper.createObjectNode().put("body", new String(result, StandardCharsets.UTF_8));
        a.putObject("headers")
                .put(SignedHeaders.REQUEST_ID, requestId)
                .put(SignedHeaders.NODE_ID, s.nodeId().hex())
                .put(SignedHeaders.POE, s.poeHex())
                .put(SignedHeaders.SIG, Base64.getEncoder().encodeToString(s.sig()))
                .put(SignedHeaders.SIG_ALG, s.sigAlg().wireName())
                .put(SignedHeaders.POE_VERSION, "1")
                .put(SignedHeaders.RESULT_FORMAT, formatOf(result));
        return a;
    }

    private static String formatOf(byte[] result) {
        String s = new String(result, StandardCharsets.UTF_8);
        return s.contains("\"object\":\"list\"") ? "openai.embeddings.v1+json" : "openai.completions.v1+json";
    }

    private ObjectNode body(String model, String endpoint, String request, ObjectNode answer, String pem)
            throws Exception {
        ObjectNode b = mapper.createObjectNode().put("model", model).put("endpoint", endpoint);
        b.set("request", mapper.readTree(request));
        b.set("answer", answer);
        b.put("public_key", pem);
        return b;
    }

    private JsonNode verify(String model, String endpoint, String request, ObjectNode answer, String pem)
            throws Exception {
        HttpResponse<byte[]> r = verifier.post(
                "/v1/verify",
                "application/json",
                mapper.writeValueAsBytes(body(model, endpoint, request, answer, pem)));
        assertThat(r.statusCode())
                .as(new String(r.body(), StandardCharsets.UTF_8))
                .isEqualTo(200);
        return mapper.readTree(r.body());
    }

    private static List<String> names(JsonNode verdict) {
        List<String> out = new java.util.ArrayList<>();
        verdict.path("checks").forEach(c -> out.add(c.path("check").asText()));
        return out;
    }
}
