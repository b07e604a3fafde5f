package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.InferenceException.DeadlineExceeded;
import io.parallelix.node.gpu.InferenceException.InvalidInput;
import io.parallelix.node.gpu.InferenceException.ModelFailed;
import io.parallelix.node.gpu.InferenceException.UnknownModel;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.gpu.testing.TestTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One CPU engine with the generated models, shared by the tests (none changes it). */
class InferenceEngineTest {
    @TempDir
    static Path models;

    static InferenceEngine engine;

    @BeforeAll
    static void open() throws EngineException {
        TestModels.writeAdd(models);
        TestModels.writeMulti(models);
        TestModels.writeFailing(models);
        TestModels.writeSlow(models);
        engine = InferenceEngine.open(TestModels.cpuConfig(models));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @Test
    void infer_add_returnsCanonicalSafetensorsOfTheSum() throws Exception {
        InferenceResult result = engine.infer(addRequest(1, 2, 3, 4, 5, 6, 7, 8));

        Safetensors.File file = Safetensors.decode(result.safetensors());
        assertThat(file.tensors()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("sum");
            assertThat(t.dtype()).isEqualTo("F32");
            assertThat(t.shape()).containsExactly(2L, 4L);
            assertThat(floats(t.data())).containsExactly(2, 3, 4, 5, 6, 7, 8, 9);
        });
        String modelSha = sha256(Files.readAllBytes(models.resolve("add/model.onnx")));
        assertThat(result.modelSha256())
                .isEqualTo(modelSha)
                .isEqualTo(engine.model("add").orElseThrow().sha256());
        assertThat(file.metadata())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("model", "add", "model_sha256", modelSha, "inputs_sha256", result.inputsSha256()));
        assertThat(result.provider()).isEqualTo("CPUExecutionProvider");
        assertThat(result.runNanos()).isPositive();
    }

    @Test
    void infer_inputsSha256_isDigestOfTheCanonicalInputs() throws Exception {
        InferenceRequest request = addRequest(1, 2, 3, 4, 5, 6, 7, 8);

        InferenceResult result = engine.infer(request);

        byte[] canonicalInputs = Safetensors.encode(
                List.of(
                        SafetensorsTest.f32("a", List.of(2L, 4L), 1, 2, 3, 4, 5, 6, 7, 8),
                        SafetensorsTest.f32("b", List.of(2L, 4L), 1, 1, 1, 1, 1, 1, 1, 1)),
                Map.of());
        assertThat(result.inputsSha256()).isEqualTo(sha256(canonicalInputs));
    }

    @Test
    void infer_sameInputsFromHeapDirectOrSlice_identicalBytes() throws Exception {
        InferenceRequest heap = addRequest(1, 2, 3, 4, 5, 6, 7, 8);
        InputTensor a = heap.inputs().get(0);
        ByteBuffer direct = ByteBuffer.allocateDirect(a.data().remaining())
                .put(a.data().duplicate())
                .flip();
        ByteBuffer body = ByteBuffer.allocate(100);
        body.position(13).put(a.data().duplicate());
        ByteBuffer slice = body.position(13).limit(13 + a.data().remaining()).slice();
        InputTensor b = heap.inputs().get(1);

        byte[] first = engine.infer(heap).safetensors();
        byte[] second = engine.infer(request("add", List.of(new InputTensor("a", a.datatype(), a.shape(), direct), b)))
                .safetensors();
        byte[] third = engine.infer(request("add", List.of(b, new InputTensor("a", a.datatype(), a.shape(), slice))))
                .safetensors();

        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
        assertThat(a.data().position()).isZero();
    }

    @Test
    void infer_requestedOutputs_onlyThoseInNameOrder() throws Exception {
        InferenceRequest request = new InferenceRequest(
                "r",
                "multi",
                List.of(
                        TestTensors.fp32("x", List.of(2L, 3L), 1, 2, 3, 4, 5, 6),
                        TestTensors.int64("y", List.of(3L), 7, 8, 9)),
                List.of("x_shape", "doubled"),
                Instant.now().plusSeconds(10));

        Safetensors.File file = Safetensors.decode(engine.infer(request).safetensors());

        assertThat(file.tensors()).extracting(Safetensors.Tensor::name).containsExactly("doubled", "x_shape");
        assertThat(longs(file.tensors().get(1).data())).containsExactly(2, 3);
        assertThat(floats(file.tensors().get(0).data())).containsExactly(2, 4, 6, 8, 10, 12);
    }

    @Test
    void infer_emptyDynamicDimension_emptyTensor() throws Exception {
        InferenceRequest request =
                request("add", List.of(TestTensors.fp32("a", List.of(0L, 4L)), TestTensors.fp32("b", List.of(0L, 4L))));

        Safetensors.File file = Safetensors.decode(engine.infer(request).safetensors());

        assertThat(file.tensors().get(0).shape()).containsExactly(0L, 4L);
        assertThat(file.tensors().get(0).data().remaining()).isZero();
    }

    @Test
    void infer_unknownModel_unknownModel() {
        assertThatThrownBy(() -> engine.infer(request("nope", List.of())))
                .isInstanceOf(UnknownModel.class)
                .hasMessage("unknown model 'nope'");
    }

    @Test
    void infer_invalidInput_invalidInputNamingTheField() {
        InferenceRequest request = request(
                "add",
                List.of(
                        TestTensors.fp32("a", List.of(1L, 3L), 1, 2, 3),
                        TestTensors.fp32("b", List.of(1L, 4L), 1, 2, 3, 4)));

        assertThatThrownBy(() -> engine.infer(request))
                .isInstanceOfSatisfying(
                        InvalidInput.class, e -> assertThat(e.field()).isEqualTo("inputs[0].shape"))
                .hasMessageContaining("input 'a' dimension 1 must be 4");
    }

    @Test
    void infer_failingModel_modelFailedThenStillServes() throws Exception {
        InferenceRequest bad = request(
                "fails",
                List.of(TestTensors.fp32("x", List.of(3L), 1, 2, 3), TestTensors.int64("shape", List.of(1L), 2)));
        InferenceRequest good = request(
                "fails",
                List.of(TestTensors.fp32("x", List.of(3L), 1, 2, 3), TestTensors.int64("shape", List.of(1L), 3)));

        assertThatThrownBy(() -> engine.infer(bad))
                .isInstanceOf(ModelFailed.class)
                .hasMessageContaining("model 'fails' failed in ONNX Runtime")
                .hasMessageContaining("cannot be reshaped");
        assertThat(floats(Safetensors.decode(engine.infer(good).safetensors())
                        .tensors()
                        .get(0)
                        .data()))
                .containsExactly(1, 2, 3);
    }

    @Test
    void infer_slowRunPastDeadline_terminatedAndSessionStillServes() throws Exception {
        InferenceRequest endless = new InferenceRequest(
                "r",
                "slow",
                List.of(TestTensors.int64("iterations", List.of(), Long.MAX_VALUE)),
                List.of(),
                Instant.now().plusMillis(300));

        assertThatThrownBy(() -> engine.infer(endless))
                .isInstanceOf(DeadlineExceeded.class)
                .hasMessageContaining("model 'slow' ran past its deadline and was terminated");
        InferenceResult after = engine.infer(request("slow", List.of(TestTensors.int64("iterations", List.of(), 10))));
        assertThat(floats(
                        Safetensors.decode(after.safetensors()).tensors().get(0).data()))
                .containsExactly(10);
        assertThat(inFlight(engine, "slow")).isZero();
    }

    @Test
    void models_describeEveryModel() {
        assertThat(engine.models()).extracting(ModelInfo::name).containsExactly("add", "fails", "multi", "slow");
        ModelInfo add = engine.model("add").orElseThrow();
        assertThat(add.inputs())
                .containsExactly(
                        new TensorSpec("a", DataType.FP32, List.of(-1L, 4L)),
                        new TensorSpec("b", DataType.FP32, List.of(-1L, 4L)));
        assertThat(add.outputs()).containsExactly(new TensorSpec("sum", DataType.FP32, List.of(-1L, 4L)));
        assertThat(add.provider()).isEqualTo("CPUExecutionProvider");
        assertThat(add.deviceIds()).isEmpty();
        assertThat(add.instances()).isEqualTo(1);
        assertThat(add.ready()).isTrue();
        assertThat(add.deterministic()).isFalse();
        assertThat(engine.model("slow").orElseThrow().inputs())
                .containsExactly(new TensorSpec("iterations", DataType.INT64, List.of()));
        assertThat(engine.model("nope")).isEmpty();
        assertThat(inFlight(engine, "nope")).isZero();
    }

    @Test
    void fingerprint_cpu_reportsOrtVersionProviderAndCpu() {
        RuntimeFingerprint fp = engine.fingerprint();

        assertThat(fp.ortVersion()).isEqualTo("1.29.0");
        assertThat(fp.provider()).isEqualTo("CPUExecutionProvider");
        assertThat(fp.driverVersion()).isNull();
        assertThat(fp.cudaVersion()).isNull();
        assertThat(fp.cudnnVersion()).isNull();
        assertThat(fp.deterministic()).isFalse();
        RuntimeFingerprint model = engine.fingerprint("add").orElseThrow(); // the model's own session settings
        assertThat(new RuntimeFingerprint(
                        model.ortVersion(),
                        model.provider(),
                        model.device(),
                        model.driverVersion(),
                        model.cudaVersion(),
                        model.cudnnVersion(),
                        model.deterministic(),
                        model.computeCapability(),
                        fp.intraOpThreads()))
                .isEqualTo(fp);
        assertThat(model.intraOpThreads()).isGreaterThanOrEqualTo(0);
    }

    /** Runs in progress or waiting for a session of {@code model}; 0 for an unknown model. */
    static int inFlight(InferenceEngine engine, String model) {
        return engine.loaded(model).map(m -> m.pool().inFlight()).orElse(0);
    }

    static InferenceRequest addRequest(float... a) {
        float[] ones = new float[a.length];
        java.util.Arrays.fill(ones, 1f);
        long rows = a.length / 4;
        return request(
                "add",
                List.of(TestTensors.fp32("a", List.of(rows, 4L), a), TestTensors.fp32("b", List.of(rows, 4L), ones)));
    }

    static InferenceRequest request(String model, List<InputTensor> inputs) {
        return new InferenceRequest(
                "test", model, inputs, List.of(), Instant.now().plusSeconds(30));
    }

    static float[] floats(ByteBuffer data) {
        ByteBuffer le = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[le.remaining() / 4];
        le.asFloatBuffer().get(out);
        return out;
    }

    static long[] longs(ByteBuffer data) {
        ByteBuffer le = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        long[] out = new long[le.remaining() / 8];
        le.asLongBuffer().get(out);
        return out;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
