package io.parallelix.node.gpu.verify;

import io.parallelix.node.gpu.Safetensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A re-run tensor result against the claimed one, tensor by tensor: one CheckResult per tensor
 * ("tensor:NAME") in the claimed file's order, then one per tensor only the re-run has (sorted);
 * names, dtypes and shapes must match; with {@code exact} the bytes must be equal, else floats
 * within the policy's tolerance (F32/F64: fp32, F16/BF16: fp16) and everything else equal.
 *
 * <p>Statistics: dtype, shape, elements, within (elements inside the tolerance), max_abs,
 * max_rel (over elements whose re-run value is not 0), worst_index (flat row-major index of the
 * element that used most of its tolerance), tolerance_used (that element's |diff| / allowed:
 * within iff <= 1, so 1 - it is the margin), nonfinite_mismatches (NaN against a number, or
 * unequal infinities), bitwise_equal. NaN against NaN in the same place is equal.
 */
public final class TensorComparison {
    private TensorComparison() {}

    public static List<CheckResult> compare(
            Safetensors.File claimed, Safetensors.File mine, TensorPolicy policy, boolean exact) {
        return compare(claimed, mine, policy, exact, Sides.RERUN);
    }

    /** As above, with the details naming the sides as {@code sides} says (mine is the second). */
    public static List<CheckResult> compare(
            Safetensors.File claimed, Safetensors.File mine, TensorPolicy policy, boolean exact, Sides sides) {
        Map<String, Safetensors.Tensor> rerun = new LinkedHashMap<>();
        mine.tensors().forEach(t -> rerun.put(t.name(), t));
        List<CheckResult> checks = new ArrayList<>();
        for (Safetensors.Tensor c : claimed.tensors()) {
            Safetensors.Tensor m = rerun.remove(c.name());
            checks.add(
                    m == null
                            ? CheckResult.fail(name(c), "only in " + sides.first(), Map.of())
                            : tensor(c, m, policy, exact, sides));
        }
        rerun.keySet().stream()
                .sorted()
                .forEach(n -> checks.add(CheckResult.fail("tensor:" + n, "only in " + sides.second(), Map.of())));
        return checks;
    }

    private static String name(Safetensors.Tensor t) {
        return "tensor:" + t.name();
    }

    private static CheckResult tensor(
            Safetensors.Tensor c, Safetensors.Tensor m, TensorPolicy policy, boolean exact, Sides sides) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("dtype", c.dtype());
        stats.put("shape", c.shape());
        if (!c.dtype().equals(m.dtype())) {
            return CheckResult.fail(name(c), "dtype " + c.dtype() + both(sides, m.dtype()), stats);
        }
        if (!c.shape().equals(m.shape())) {
            return CheckResult.fail(name(c), "shape " + c.shape() + both(sides, m.shape()), stats);
        }
        ByteBuffer x = c.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer y = m.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (x.remaining() != y.remaining()) { // only a U8 string layout can differ in length at equal shape
            stats.put("bitwise_equal", false);
            return CheckResult.fail(name(c), x.remaining() + " data bytes" + both(sides, y.remaining()), stats);
        }
        boolean bitwise = x.equals(y);
        TensorPolicy.Tolerance tolerance = tolerance(policy, c.dtype());
        TensorDeviation d = tolerance == null
                ? TensorDeviation.exact(x, y, elementSize(c.dtype()))
                : TensorDeviation.measure(x, y, c.dtype(), tolerance);
        d.putInto(stats);
        stats.put("bitwise_equal", bitwise);
        if (bitwise) {
            return CheckResult.pass(name(c), "bitwise equal", stats);
        }
        if (exact) {
            return CheckResult.fail(
                    name(c),
                    "not bitwise equal (required: same fingerprint, both deterministic); "
                            + d.describe(c.shape(), sides),
                    stats);
        }
        return d.allWithin()
                ? CheckResult.pass(name(c), "within tolerance; " + d.describe(c.shape(), sides), stats)
                : CheckResult.fail(name(c), d.describe(c.shape(), sides), stats);
    }

    /** " in FIRST, VALUE in SECOND": the tail of a detail that sets the two sides' values side by side. */
    static String both(Sides sides, Object second) {
        return " in " + sides.first() + ", " + second + " in " + sides.second();
    }

    /** The tolerance of a floating-point dtype; null for dtypes compared exactly. */
    private static TensorPolicy.@Nullable Tolerance tolerance(TensorPolicy policy, String dtype) {
        return switch (dtype) {
            case "F32", "F64" -> policy.fp32();
            case "F16", "BF16" -> policy.fp16();
            default -> null;
        };
    }

    static int elementSize(String dtype) {
        return switch (dtype) {
            case "I16", "F16", "BF16" -> 2;
            case "I32", "F32" -> 4;
            case "I64", "F64" -> 8;
            default -> 1; // BOOL, U8, I8, and BYTES (U8 holding the OIP string layout)
        };
    }
}
