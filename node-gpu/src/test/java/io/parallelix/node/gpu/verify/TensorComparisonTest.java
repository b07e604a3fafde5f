package io.parallelix.node.gpu.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.Safetensors;
import io.parallelix.node.gpu.testing.TestTensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TensorComparisonTest {
    private static final TensorPolicy POLICY =
            new TensorPolicy(new TensorPolicy.Tolerance(1e-4, 1e-3), new TensorPolicy.Tolerance(1e-3, 1e-2));

    private static Safetensors.Tensor f32(String name, List<Long> shape, float... values) {
        ByteBuffer b = le(4 * values.length);
        for (float v : values) {
            b.putFloat(v);
        }
        return new Safetensors.Tensor(name, "F32", shape, b.flip());
    }

    private static Safetensors.Tensor half(String name, String dtype, int... bits) {
        ByteBuffer b = le(2 * bits.length);
        for (int v : bits) {
            b.putShort((short) v);
        }
        return new Safetensors.Tensor(name, dtype, List.of((long) bits.length), b.flip());
    }

    private static Safetensors.Tensor i64(String name, long... values) {
        ByteBuffer b = le(8 * values.length);
        for (long v : values) {
            b.putLong(v);
        }
        return new Safetensors.Tensor(name, "I64", List.of((long) values.length), b.flip());
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static Safetensors.File file(Safetensors.Tensor... tensors) {
        return new Safetensors.File(List.of(tensors), Map.of());
    }

    private static CheckResult one(Safetensors.Tensor claimed, Safetensors.Tensor mine, boolean exact) {
        List<CheckResult> checks = TensorComparison.compare(file(claimed), file(mine), POLICY, exact);
        assertThat(checks).hasSize(1);
        return checks.get(0);
    }

    @Test
    void compare_bitwiseEqual_passesEvenExact() {
        CheckResult c = one(f32("y", List.of(2L), 1, 2), f32("y", List.of(2L), 1, 2), true);
        assertThat(c.passed()).isTrue();
        assertThat(c.name()).isEqualTo("tensor:y");
        assertThat(c.detail()).isEqualTo("bitwise equal");
        assertThat(c.statistics())
                .containsEntry("elements", 2L)
                .containsEntry("within", 2L)
                .containsEntry("max_abs", 0.0)
                .containsEntry("bitwise_equal", true);
    }

    @Test
    void compare_withinTolerance_passesButNotExact() {
        Safetensors.Tensor claimed = f32("y", List.of(2L), 1.0f, 100.0f);
        Safetensors.Tensor mine = f32("y", List.of(2L), 1.00005f, 100.05f);
        CheckResult loose = one(claimed, mine, false);
        assertThat(loose.passed()).as(loose.detail()).isTrue();
        assertThat(loose.statistics().get("max_abs")).isInstanceOf(Double.class);
        assertThat((double) loose.statistics().get("max_abs"))
                .isCloseTo(0.05, org.assertj.core.data.Offset.offset(1e-5));
        assertThat((double) loose.statistics().get("tolerance_used"))
                .isLessThan(1)
                .isGreaterThan(0.4);
        CheckResult exact = one(claimed, mine, true);
        assertThat(exact.passed()).isFalse();
        assertThat(exact.detail()).startsWith("not bitwise equal");
    }

    @Test
    void compare_outsideTolerance_failsNamingTheWorstElementAndPosition() {
        Safetensors.Tensor claimed = f32("y", List.of(2L, 3L), 0, 0, 0, 0, 0.5f, 0);
        Safetensors.Tensor mine = f32("y", List.of(2L, 3L), 0, 0, 0.00002f, 0, 0, 0);
        CheckResult c = one(claimed, mine, false);
        assertThat(c.passed()).isFalse();
        assertThat(c.statistics()).containsEntry("worst_index", 4L).containsEntry("within", 5L);
        assertThat(c.detail())
                .contains("1 of 6 elements outside the tolerance")
                .contains("element 4 [1, 1]: 0.5 in the claimed result, 0.0 in the re-run");
    }

    @Test
    void compare_nanAgainstNaN_isEqual_nanAgainstNumberIsADeviation() {
        float quiet = Float.intBitsToFloat(0x7fc00000);
        float payload = Float.intBitsToFloat(0x7fc00001);
        CheckResult same = one(f32("y", List.of(2L), quiet, 1), f32("y", List.of(2L), payload, 1), false);
        assertThat(same.passed()).as(same.detail()).isTrue();
        assertThat(same.statistics()).containsEntry("bitwise_equal", false).containsEntry("nonfinite_mismatches", 0L);

        CheckResult nan = one(f32("y", List.of(2L), 1, Float.NaN), f32("y", List.of(2L), 1, 1), false);
        assertThat(nan.passed()).isFalse();
        assertThat(nan.statistics()).containsEntry("nonfinite_mismatches", 1L).containsEntry("worst_index", 1L);
        assertThat(nan.detail()).contains("NaN in the claimed result, 1.0 in the re-run");
        assertJsonReady(nan);
    }

    @Test
    void compare_infinities_equalWhenSameSign() {
        float inf = Float.POSITIVE_INFINITY;
        assertThat(one(f32("y", List.of(1L), inf), f32("y", List.of(1L), inf), true)
                        .passed())
                .isTrue();
        CheckResult c = one(f32("y", List.of(1L), inf), f32("y", List.of(1L), -inf), false);
        assertThat(c.passed()).isFalse();
        assertThat(c.statistics()).containsEntry("nonfinite_mismatches", 1L);
        assertJsonReady(c);
    }

    @Test
    void compare_f16AndBf16_decodedAsTheirFormats() {
        // F16 0x3C00 = 1.0, 0x3C01 = 1 + 2^-10; BF16 0x3F80 = 1.0, 0x3F81 = 1 + 2^-7.
        CheckResult f16 = one(half("h", "F16", 0x3C00), half("h", "F16", 0x3C01), false);
        assertThat(f16.passed()).isTrue();
        assertThat(f16.statistics()).containsEntry("max_abs", Math.pow(2, -10));
        CheckResult bf16 = one(half("h", "BF16", 0x3F80), half("h", "BF16", 0x3F81), false);
        assertThat(bf16.passed()).isTrue();
        assertThat(bf16.statistics()).containsEntry("max_abs", Math.pow(2, -7));
        // Negative halves: the sign bit must not leak into the exponent (BF16 0xBF80 = -1.0).
        CheckResult negative = one(half("h", "BF16", 0xBF80), half("h", "BF16", 0x3F80), false);
        assertThat(negative.passed()).isFalse();
        assertThat(negative.statistics()).containsEntry("max_abs", 2.0);
        CheckResult far = one(half("h", "F16", 0x3C00), half("h", "F16", 0x3E00), false); // 1.0 vs 1.5
        assertThat(far.passed()).isFalse();
    }

    @Test
    void compare_integersBoolsAndStrings_exactWhateverThePolicy() {
        TensorPolicy loose =
                new TensorPolicy(new TensorPolicy.Tolerance(1e9, 1e9), new TensorPolicy.Tolerance(1e9, 1e9));
        List<CheckResult> ints =
                TensorComparison.compare(file(i64("k", 1, 2, 3)), file(i64("k", 1, 2, 4)), loose, false);
        assertThat(ints.get(0).passed()).isFalse();
        assertThat(ints.get(0).statistics()).containsEntry("worst_index", 2L).containsEntry("within", 2L);
        assertThat(ints.get(0).detail()).contains("1 of 3 elements differ (compared exactly), first at element 2 [2]");

        Safetensors.Tensor yes = new Safetensors.Tensor("b", "BOOL", List.of(1L), ByteBuffer.wrap(new byte[] {1}));
        Safetensors.Tensor no = new Safetensors.Tensor("b", "BOOL", List.of(1L), ByteBuffer.wrap(new byte[] {0}));
        assertThat(TensorComparison.compare(file(yes), file(no), loose, false)
                        .get(0)
                        .passed())
                .isFalse();

        byte[] ab = TestTensors.bytesLayout("ab");
        byte[] abc = TestTensors.bytesLayout("abc");
        Safetensors.Tensor s1 = new Safetensors.Tensor("s", "U8", List.of((long) ab.length), ByteBuffer.wrap(ab));
        Safetensors.Tensor s2 = new Safetensors.Tensor("s", "U8", List.of((long) abc.length), ByteBuffer.wrap(abc));
        CheckResult strings =
                TensorComparison.compare(file(s1), file(s2), loose, false).get(0);
        assertThat(strings.passed()).isFalse();
        assertThat(strings.detail()).contains("shape [6] in the claimed result, [7] in the re-run");
    }

    @Test
    void compare_dtypeOrShapeMismatch_failsSayingBoth() {
        CheckResult dtype = one(half("y", "F16", 0x3C00), f32("y", List.of(1L), 1), false);
        assertThat(dtype.passed()).isFalse();
        assertThat(dtype.detail()).isEqualTo("dtype F16 in the claimed result, F32 in the re-run");
        CheckResult shape = one(f32("y", List.of(1L, 2L), 1, 2), f32("y", List.of(2L, 1L), 1, 2), false);
        assertThat(shape.passed()).isFalse();
        assertThat(shape.detail()).isEqualTo("shape [1, 2] in the claimed result, [2, 1] in the re-run");
        List<CheckResult> named = TensorComparison.compare(
                file(f32("y", List.of(1L, 2L), 1, 2)),
                file(f32("y", List.of(2L, 1L), 1, 2)),
                POLICY,
                false,
                new Sides("A", "B"));
        assertThat(named.get(0).detail()).isEqualTo("shape [1, 2] in A, [2, 1] in B");
    }

    @Test
    void compare_tensorsOnOneSideOnly_eachFails_claimedOrderThenRerunSorted() {
        Safetensors.File claimed = file(f32("b", List.of(1L), 1), f32("a", List.of(1L), 1), f32("c", List.of(1L), 1));
        Safetensors.File mine = file(f32("a", List.of(1L), 1), f32("z", List.of(1L), 1), f32("y", List.of(1L), 1));
        List<CheckResult> checks = TensorComparison.compare(claimed, mine, POLICY, false);
        assertThat(checks)
                .extracting(CheckResult::name)
                .containsExactly("tensor:b", "tensor:a", "tensor:c", "tensor:y", "tensor:z");
        assertThat(checks).extracting(CheckResult::passed).containsExactly(false, true, false, false, false);
        assertThat(checks.get(0).detail()).isEqualTo("only in the claimed result");
        assertThat(checks.get(3).detail()).isEqualTo("only in the re-run");
    }

    @Test
    void compare_zeroAllowance_anyDifferenceFailsWithAFiniteStatistic() {
        TensorPolicy zero = new TensorPolicy(new TensorPolicy.Tolerance(0, 0), new TensorPolicy.Tolerance(0, 0));
        CheckResult c = TensorComparison.compare(
                        file(f32("y", List.of(1L), 1e-30f)), file(f32("y", List.of(1L), 0)), zero, false)
                .get(0);
        assertThat(c.passed()).isFalse();
        assertJsonReady(c);
    }

    @Test
    void compare_f64_usesTheFp32Family() {
        ByteBuffer a = le(8).putDouble(1.0).flip();
        ByteBuffer b = le(8).putDouble(1.0005).flip();
        CheckResult c = one(
                new Safetensors.Tensor("d", "F64", List.of(1L), a),
                new Safetensors.Tensor("d", "F64", List.of(1L), b),
                false);
        assertThat(c.passed()).isTrue();
        assertThat((double) c.statistics().get("max_abs")).isCloseTo(5e-4, org.assertj.core.data.Offset.offset(1e-12));
    }

    /** Every statistic prints as JSON: no NaN or infinity. */
    private static void assertJsonReady(CheckResult c) {
        c.statistics().values().stream()
                .filter(v -> v instanceof Double)
                .forEach(v -> assertThat((Double) v).isFinite());
    }
}
