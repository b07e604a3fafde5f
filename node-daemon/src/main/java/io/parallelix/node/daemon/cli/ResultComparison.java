package io.parallelix.node.daemon.cli;

import io.parallelix.node.gpu.Safetensors;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The re-dispatch check: two results for the same request, tensor by tensor. Bitwise equal, or
 * for floating-point tensors within an absolute tolerance; integer and string tensors must be equal.
 */
final class ResultComparison {
    /** One tensor's outcome; maxDiff is NaN where a NaN met a number. */
    record TensorDiff(String name, boolean equal, boolean withinTolerance, double maxDiff, long index, String detail) {}

    private ResultComparison() {}

    static List<TensorDiff> compare(Safetensors.File a, Safetensors.File b, double tolerance) {
        Map<String, Safetensors.Tensor> right =
                b.tensors().stream().collect(Collectors.toMap(Safetensors.Tensor::name, Function.identity()));
        List<TensorDiff> diffs = new ArrayList<>();
        for (Safetensors.Tensor t : a.tensors()) {
            Safetensors.Tensor u = right.remove(t.name());
            diffs.add(u == null ? missing(t.name(), "only in the first result") : compare(t, u, tolerance));
        }
        right.keySet().stream().sorted().forEach(n -> diffs.add(missing(n, "only in the second result")));
        return diffs;
    }

    private static TensorDiff missing(String name, String where) {
        return new TensorDiff(name, false, false, Double.NaN, -1, where);
    }

    private static TensorDiff compare(Safetensors.Tensor a, Safetensors.Tensor b, double tolerance) {
        if (!a.dtype().equals(b.dtype()) || !a.shape().equals(b.shape())) {
            return new TensorDiff(
                    a.name(), false, false, Double.NaN, -1, a.dtype() + a.shape() + " vs " + b.dtype() + b.shape());
        }
        ByteBuffer x = a.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer y = b.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (x.equals(y)) {
            return new TensorDiff(a.name(), true, true, 0, -1, "bitwise equal");
        }
        int size = elementSize(a.dtype());
        if (size < 0) {
            return new TensorDiff(a.name(), false, false, Double.NaN, -1, a.dtype() + " values differ");
        }
        double max = 0;
        long at = -1;
        long n = x.remaining() / size;
        for (long i = 0; i < n; i++) {
            int off = (int) (i * size);
            double d = Math.abs(value(a.dtype(), x, x.position() + off) - value(a.dtype(), y, y.position() + off));
            if (Double.isNaN(d) || d > max) {
                max = d;
                at = i;
                if (Double.isNaN(d)) {
                    break;
                }
            }
        }
        boolean within = !Double.isNaN(max) && max <= tolerance;
        return new TensorDiff(a.name(), false, within, max, at, "max |a-b| " + max + " at element " + at);
    }

    /** Byte size of floating-point dtypes; -1 for types that must match exactly. */
    private static int elementSize(String dtype) {
        return switch (dtype) {
            case "F16", "BF16" -> 2;
            case "F32" -> 4;
            case "F64" -> 8;
            default -> -1;
        };
    }

    private static double value(String dtype, ByteBuffer b, int at) {
        return switch (dtype) {
            case "F16" -> Float.float16ToFloat(b.getShort(at));
            case "BF16" -> Float.intBitsToFloat(b.getShort(at) << 16);
            case "F32" -> b.getFloat(at);
            default -> b.getDouble(at);
        };
    }
}
