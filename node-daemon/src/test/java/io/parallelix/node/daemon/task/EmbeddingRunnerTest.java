package io.parallelix.node.daemon.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.EmbeddingJson;
import io.parallelix.node.daemon.protocol.EmbeddingsRequest;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.protocol.ResultRuntime;
import io.parallelix.node.daemon.service.Cancellation;
import io.parallelix.node.daemon.service.FakeEmbeddings;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.daemon.service.TaskContext;
import io.parallelix.node.daemon.service.TaskOutput;
import io.parallelix.node.gpu.EmbeddingInfo;
import io.parallelix.node.gpu.EmbeddingInput;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.RuntimeFingerprint;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingRunnerTest {
    private static final ResultRuntime RUNTIME = new ResultRuntime(
            new RuntimeFingerprint("0.0.0-fake", "FakeExecutionProvider", null, null, null, null, true),
            "SunRsaSign",
            "PS256");

    static final EmbeddingInfo FIXED = new EmbeddingInfo(8, 16, 30522, "mean", true, false);
    static final EmbeddingInfo MATRYOSHKA = new EmbeddingInfo(8, 16, 30522, "cls", true, true);

    private static final Json json = new Json(1 << 20);
    private final FakeEngine engine = FakeEngine.of(
            List.of("add"), List.of(FakeEngine.embedding("e", FIXED), FakeEngine.embedding("mat", MATRYOSHKA)));
    private final EmbeddingRunner runner = new EmbeddingRunner(engine);

    private static EmbeddingsRequest request(List<EmbeddingInput> inputs, EmbeddingsRequest.Encoding enc, int dims) {
        return new EmbeddingsRequest("r1", "e", inputs, false, enc, dims, false);
    }

    private TaskOutput run(String model, EmbeddingsRequest r) throws InferenceException {
        ModelInfo m = engine.model(model).orElseThrow();
        return runner.run(
                r, new TaskContext(m, Instant.now().plusSeconds(10), new Cancellation(), chunk -> {}, RUNTIME));
    }

    private static float[] expected(String text, EmbeddingInfo info, int dims) {
        return FakeEmbeddings.vector(FakeEmbeddings.tokens(new EmbeddingInput.Text(text)), info, dims);
    }

    @Test
    void run_float_writesEveryVectorInOrderWithTheTokenCount() throws Exception {
        TaskOutput out = run(
                "e",
                request(
                        List.of(new EmbeddingInput.Text("hi"), new EmbeddingInput.Tokens(new int[] {5, 6, 7})),
                        EmbeddingsRequest.Encoding.FLOAT,
                        0));
        assertThat(out.resultFormat()).isEqualTo("openai.embeddings.v1+json");
        assertThat(out.modelSha256()).isEqualTo(FakeEngine.SHA256);
        JsonNode body = json.mapper().readTree(out.result());
        assertThat(body.at("/data/0/index").asInt()).isZero();
        assertThat(body.at("/data/1/index").asInt()).isEqualTo(1);
        float[] first = new float[8];
        for (int i = 0; i < 8; i++) {
            first[i] = body.at("/data/0/embedding/" + i).floatValue();
        }
        assertThat(first).containsExactly(expected("hi", FIXED, 0));
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(4 + 3); // CLS h i SEP + three ids
        assertThat(body.at("/model").asText()).isEqualTo("e");
        assertThat(out.result())
                .isEqualTo(EmbeddingJson.write(
                        "e",
                        List.of(expected("hi", FIXED, 0), FakeEmbeddings.vector(new int[] {5, 6, 7}, FIXED, 0)),
                        EmbeddingsRequest.Encoding.FLOAT,
                        7,
                        RUNTIME));
        // the signed fingerprint is the body's last field
        assertThat(body.at("/pxnode/runtime/provider").asText()).isEqualTo("FakeExecutionProvider");
        assertThat(body.at("/pxnode/runtime/crypto_provider").asText()).isEqualTo("SunRsaSign");
        assertThat(body.at("/pxnode/runtime/deterministic").asBoolean()).isTrue();
        assertThat(body.at("/pxnode/runtime/device").isNull()).isTrue();
    }

    @Test
    void run_base64_decodesToTheSameFloats() throws Exception {
        TaskOutput out =
                run("e", request(List.of(new EmbeddingInput.Text("hi")), EmbeddingsRequest.Encoding.BASE64, 0));
        String b64 =
                json.mapper().readTree(out.result()).at("/data/0/embedding").asText();
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(b64)).order(ByteOrder.LITTLE_ENDIAN);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        assertThat(v).containsExactly(expected("hi", FIXED, 0));
    }

    @Test
    void run_dimensions_onlyForModelsThatCanShortenOrEqualToTheSize() throws Exception {
        TaskOutput shorter =
                run("mat", request(List.of(new EmbeddingInput.Text("hi")), EmbeddingsRequest.Encoding.FLOAT, 4));
        assertThat(json.mapper()
                        .readTree(shorter.result())
                        .at("/data/0/embedding")
                        .size())
                .isEqualTo(4);
        TaskOutput same =
                run("e", request(List.of(new EmbeddingInput.Text("hi")), EmbeddingsRequest.Encoding.FLOAT, 8));
        assertThat(json.mapper().readTree(same.result()).at("/data/0/embedding").size())
                .isEqualTo(8);
        assertBad(
                "e",
                request(List.of(new EmbeddingInput.Text("hi")), EmbeddingsRequest.Encoding.FLOAT, 4),
                "dimensions",
                "cannot shorten");
        assertBad(
                "mat",
                request(List.of(new EmbeddingInput.Text("hi")), EmbeddingsRequest.Encoding.FLOAT, 9),
                "dimensions",
                "at most");
    }

    @Test
    void run_tensorModel_isA400NamingTheModel() {
        assertBad(
                "add",
                request(List.of(new EmbeddingInput.Text("x")), EmbeddingsRequest.Encoding.FLOAT, 0),
                "model",
                "is a tensor model");
    }

    @Test
    void run_tokenIdAtOrAboveTheVocabulary_namesItsPosition() {
        EmbeddingsRequest r = request(
                List.of(new EmbeddingInput.Tokens(new int[] {1}), new EmbeddingInput.Tokens(new int[] {2, 30522})),
                EmbeddingsRequest.Encoding.FLOAT,
                0);
        assertBad("e", r, "input[1][1]", "vocabulary size 30522");
        EmbeddingsRequest single = new EmbeddingsRequest(
                "r1",
                "e",
                List.of(new EmbeddingInput.Tokens(new int[] {1, 2, 40000})),
                true,
                EmbeddingsRequest.Encoding.FLOAT,
                0,
                false);
        assertBad("e", single, "input[2]", "40000");
    }

    @Test
    void run_tooLong_isTheEnginesInvalidInput_namedAsTheClientWroteIt() {
        String longText = "x".repeat(20); // 22 tokens, the limit is 16
        EmbeddingsRequest single = new EmbeddingsRequest(
                "r1",
                "e",
                List.of(new EmbeddingInput.Text(longText)),
                true,
                EmbeddingsRequest.Encoding.FLOAT,
                0,
                false);
        assertThatThrownBy(() -> run("e", single))
                .isInstanceOfSatisfying(
                        InferenceException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("input"))
                .hasMessageContaining("22 tokens");
        EmbeddingsRequest many = request(
                List.of(new EmbeddingInput.Text("ok"), new EmbeddingInput.Text(longText)),
                EmbeddingsRequest.Encoding.FLOAT,
                0);
        assertThatThrownBy(() -> run("e", many))
                .isInstanceOfSatisfying(
                        InferenceException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("input[1]"));
    }

    @Test
    void run_truncate_cutsToTheModelsLimit() throws Exception {
        EmbeddingsRequest r = new EmbeddingsRequest(
                "r1",
                "e",
                List.of(new EmbeddingInput.Text("x".repeat(20))),
                true,
                EmbeddingsRequest.Encoding.FLOAT,
                0,
                true);
        JsonNode body = json.mapper().readTree(run("e", r).result());
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(16);
    }

    @Test
    void run_nonFiniteVector_isAModelFault500() {
        assertThatThrownBy(() -> run(
                        "e",
                        request(List.of(new EmbeddingInput.Text("fake:nan")), EmbeddingsRequest.Encoding.BASE64, 0)))
                .isInstanceOfSatisfying(
                        ApiException.Internal.class, e -> assertThat(e.code()).isEqualTo("model_failed"))
                .hasMessageContaining("NaN");
    }

    @Test
    void run_cancelledBeforeTheRun_endsAsClientClosed() {
        Cancellation gone = new Cancellation();
        gone.cancel();
        ModelInfo m = engine.model("e").orElseThrow();
        EmbeddingsRequest r = request(List.of(new EmbeddingInput.Text("x")), EmbeddingsRequest.Encoding.FLOAT, 0);
        assertThatThrownBy(
                        () -> runner.run(r, new TaskContext(m, Instant.now().plusSeconds(5), gone, c -> {}, RUNTIME)))
                .isInstanceOf(ApiException.ClientClosed.class);
    }

    private void assertBad(String model, EmbeddingsRequest r, String field, String message) {
        assertThatThrownBy(() -> run(model, r))
                .isInstanceOfSatisfying(
                        ApiException.BadRequest.class,
                        e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(message);
    }
}
