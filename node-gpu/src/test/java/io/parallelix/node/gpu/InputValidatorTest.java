package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.InferenceException.InvalidInput;
import io.parallelix.node.gpu.testing.TestTensors;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class InputValidatorTest {
    private static final Map<String, TensorSpec> INPUTS = new LinkedHashMap<>();
    private static final List<String> OUTPUTS = List.of("sum", "extra");

    static {
        INPUTS.put("a", new TensorSpec("a", DataType.FP32, List.of(-1L, 4L)));
        INPUTS.put("b", new TensorSpec("b", DataType.FP32, List.of(-1L, 4L)));
        INPUTS.put("s", new TensorSpec("s", DataType.BYTES, List.of(-1L)));
        INPUTS.put("flag", new TensorSpec("flag", DataType.BOOL, List.of()));
    }

    private static final InputValidator VALIDATOR = new InputValidator(
            "m", List.copyOf(INPUTS.values()), OUTPUTS, new InputBounds("m", Map.of(), InputLimits.defaults()));

    private static final InputTensor A = TestTensors.fp32("a", List.of(1L, 4L), 1, 2, 3, 4);
    private static final InputTensor B = TestTensors.fp32("b", List.of(1L, 4L), 1, 2, 3, 4);
    private static final InputTensor S = TestTensors.bytes("s", List.of(2L), "hé", "");
    private static final InputTensor FLAG = TestTensors.raw("flag", DataType.BOOL, List.of(), new byte[] {1});

    @Test
    void check_validRequest_keepsOrderAndParsesStrings() throws Exception {
        InputValidator.Checked checked = check(List.of(S, A, FLAG, B), List.of());

        assertThat(checked.inputs()).extracting(ValidInput::name).containsExactly("s", "a", "flag", "b");
        assertThat(checked.inputs().get(0).strings()).containsExactly("hé", "");
        assertThat(checked.outputs()).containsExactly("sum", "extra");
    }

    @Test
    void check_dataSliceOfLargerBuffer_readsOnlyFromPositionToLimit() throws Exception {
        ByteBuffer body = ByteBuffer.allocate(64);
        ByteBuffer slice = body.position(8).limit(24).slice();
        InputTensor a = new InputTensor("a", DataType.FP32, List.of(1L, 4L), slice);

        InputValidator.Checked checked = check(List.of(a, B, S, FLAG), List.of("sum"));

        assertThat(checked.inputs().get(0).data().remaining()).isEqualTo(16);
        assertThat(slice.position()).isZero();
        assertThat(checked.outputs()).containsExactly("sum");
    }

    @Test
    void check_unknownName_namesModelInputs() {
        assertInvalid(
                () -> check(List.of(A, B, S, FLAG, TestTensors.fp32("c", List.of(1L), 1)), List.of()),
                "inputs[4].name",
                "model 'm' has no input 'c'; its inputs are [a, b, s, flag]");
    }

    @Test
    void check_duplicateInput_namesBothPositions() {
        assertInvalid(
                () -> check(List.of(A, B, A), List.of()), "inputs[2].name", "given twice (inputs[0] and inputs[2])");
    }

    @Test
    void check_missingInput_namesItsTypeAndShape() {
        assertInvalid(() -> check(List.of(A, S, FLAG), List.of()), "inputs", "missing input 'b' (FP32 [-1, 4])");
    }

    @Test
    void check_wrongDatatype_saysExpectedAndGiven() {
        InputTensor a = TestTensors.int64("a", List.of(1L, 2L), 1, 2);
        assertInvalid(
                () -> check(List.of(a, B, S, FLAG), List.of()), "inputs[0].datatype", "expects FP32, given INT64");
    }

    @Test
    void check_wrongRank_saysExpectedAndGiven() {
        InputTensor a = TestTensors.fp32("a", List.of(4L), 1, 2, 3, 4);
        assertInvalid(
                () -> check(List.of(a), List.of()), "inputs[0].shape", "expects rank 2 [-1, 4], given rank 1 [4]");
    }

    @Test
    void check_wrongFixedDim_saysWhichDimension() {
        InputTensor a = TestTensors.fp32("a", List.of(1L, 5L), 1, 2, 3, 4, 5);
        assertInvalid(
                () -> check(List.of(a), List.of()),
                "inputs[0].shape",
                "dimension 1 must be 4 (model shape [-1, 4]), given 5");
    }

    @Test
    void check_negativeDim_rejected() {
        InputTensor a = TestTensors.fp32("a", List.of(-1L, 4L));
        assertInvalid(
                () -> check(List.of(a), List.of()), "inputs[0].shape", "dimension 0 is -1; dimensions must be >= 0");
    }

    @Test
    void check_shapeProductOverflow_rejected() {
        InputTensor s = TestTensors.bytes("s", List.of(Long.MAX_VALUE / 2 + 1));
        InputTensor a = TestTensors.fp32("a", List.of(1L << 62, 4L));
        assertInvalid(() -> check(List.of(a), List.of()), "inputs[0].shape", "more elements than a tensor may hold");
        assertInvalid(() -> check(List.of(A, B, s), List.of()), "inputs[2].shape", "more elements");
    }

    @Test
    void check_dataLengthMismatch_saysBytesNeededAndGiven() {
        InputTensor a = TestTensors.fp32("a", List.of(2L, 4L), 1, 2, 3, 4);
        assertInvalid(() -> check(List.of(a), List.of()), "inputs[0].data", "FP32 [2, 4] needs 32 bytes, given 16");
    }

    @Test
    void check_boolNotZeroOrOne_rejected() {
        InputTensor flag = TestTensors.raw("flag", DataType.BOOL, List.of(), new byte[] {2});
        assertInvalid(() -> check(List.of(A, B, S, flag), List.of()), "inputs[3].data", "BOOL element 0 is 2");
    }

    @Test
    void check_bytesLayoutProblems_rejected() {
        byte[] layout = TestTensors.bytesLayout("ab", "c");
        byte[] trailing = java.util.Arrays.copyOf(layout, layout.length + 1);
        byte[] truncated = java.util.Arrays.copyOf(layout, layout.length - 1);
        byte[] invalidUtf8 = {2, 0, 0, 0, (byte) 0xC3, (byte) 0x28};
        assertBytesInvalid(trailing, 2, "1 bytes follow the last of the 2 elements");
        assertBytesInvalid(truncated, 2, "element 1 declares 1 bytes but only 0 remain");
        assertBytesInvalid(invalidUtf8, 1, "element 0 is not valid UTF-8");
        assertBytesInvalid(new byte[] {1, 0}, 1, "1 elements need at least 4 bytes, given 2");
    }

    @Test
    void check_bytesOrtJavaCannotPass_rejected() {
        assertBytesInvalid(TestTensors.bytesLayout("a\u0000b"), 1, "contains U+0000 or a character above U+FFFF");
        assertBytesInvalid(TestTensors.bytesLayout("\uD83D\uDE42"), 1, "JNI's modified UTF-8");
    }

    @Test
    void check_unknownOrRepeatedOutput_rejected() {
        assertInvalid(
                () -> check(List.of(A, B, S, FLAG), List.of("sum", "nope")),
                "outputs[1]",
                "model 'm' has no output 'nope'; its outputs are [sum, extra]");
        assertInvalid(() -> check(List.of(A, B, S, FLAG), List.of("sum", "sum")), "outputs[1]", "requested twice");
    }

    private static void assertBytesInvalid(byte[] layout, long count, String message) {
        InputTensor s = TestTensors.raw("s", DataType.BYTES, List.of(count), layout);
        assertInvalid(() -> check(List.of(A, B, s, FLAG), List.of()), "inputs[2].data", message);
    }

    private static void assertInvalid(ThrowingCallable call, String field, String message) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        InvalidInput.class, e -> assertThat(e.field()).isEqualTo(field))
                .hasMessageContaining(message);
    }

    @Test
    void check_hugeUnknownNames_quotedClipped() {
        String name = "x".repeat(1 << 20);

        assertThatThrownBy(() -> check(List.of(A, B, S, FLAG, TestTensors.fp32(name, List.of(1L), 1)), List.of()))
                .hasMessageContaining("has no input '" + "x".repeat(64) + "...'")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        assertThatThrownBy(() -> check(List.of(A, B, S, FLAG), List.of(name)))
                .hasMessageContaining("has no output '" + "x".repeat(64) + "...'")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }

    private static InputValidator.Checked check(List<InputTensor> inputs, List<String> outputs) throws InvalidInput {
        return VALIDATOR.check(new InferenceRequest("r", "m", inputs, outputs, Instant.MAX));
    }
}
