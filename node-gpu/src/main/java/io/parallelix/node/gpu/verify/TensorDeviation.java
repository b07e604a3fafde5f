package io.parallelix.node.gpu.verify;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How far one tensor's elements are from another's of the same dtype and shape: one pass that
 * keeps the largest absolute and relative differences, the element that used most of its
 * tolerance, and the count inside it. Integer, bool and string data go through {@link #exact}:
 * equal elements are within, any other is not.
 */
final class TensorDeviation {
    private final long elements;
    private final boolean floating;
    private long within;
    private long nonfinite;
    private double maxAbs;
    private double maxRel;
    private double worstUsed = -1;
    private long worstIndex = -1;
    private double worstClaimed;
    private double worstMine;
    private long firstOutside = -1;

    private TensorDeviation(long elements, boolean floating) {
        this.elements = elements;
        this.floating = floating;
    }

    static TensorDeviation measure(
            ByteBuffer claimed, ByteBuffer mine, String dtype, TensorPolicy.Tolerance tolerance) {
        int size = TensorComparison.elementSize(dtype);
        TensorDeviation d = new TensorDeviation(claimed.remaining() / size, true);
        int x0 = claimed.position();
        int y0 = mine.position();
        for (long i = 0; i < d.elements; i++) {
            int off = (int) (i * size);
            d.add(i, value(dtype, claimed, x0 + off), value(dtype, mine, y0 + off), tolerance);
        }
        return d;
    }

    static TensorDeviation exact(ByteBuffer claimed, ByteBuffer mine, int size) {
        TensorDeviation d = new TensorDeviation(claimed.remaining() / size, false);
        int x0 = claimed.position();
        int y0 = mine.position();
        for (long i = 0; i < d.elements; i++) {
            int off = (int) (i * size);
            boolean equal = true;
            for (int k = 0; k < size && equal; k++) {
                equal = claimed.get(x0 + off + k) == mine.get(y0 + off + k);
            }
            if (equal) {
                d.within++;
            } else if (d.firstOutside < 0) {
                d.firstOutside = i;
            }
        }
        return d;
    }

    /** Decodes one element: F16 as IEEE binary16, BF16 as the high half of a binary32. */
    static double value(String dtype, ByteBuffer b, int at) {
        return switch (dtype) {
            case "F16" -> Float.float16ToFloat(b.getShort(at));
            case "BF16" -> Float.intBitsToFloat((b.getShort(at) & 0xffff) << 16);
            case "F32" -> b.getFloat(at);
            default -> b.getDouble(at);
        };
    }

    private void add(long i, double c, double m, TensorPolicy.Tolerance tolerance) {
        if (c == m || (Double.isNaN(c) && Double.isNaN(m))) { // also equal infinities, +0 vs -0
            within++;
            return;
        }
        if (!Double.isFinite(c) || !Double.isFinite(m)) {
            nonfinite++;
            outside(i, Double.MAX_VALUE, c, m); // always the worst: no tolerance covers it
            return;
        }
        double diff = Math.abs(c - m);
        maxAbs = Math.max(maxAbs, diff);
        if (m != 0) {
            maxRel = Math.max(maxRel, diff / Math.abs(m));
        }
        double allowed = tolerance.absolute() + tolerance.relative() * Math.abs(m);
        // A zero allowance (absolute 0 at a zero reference) is used up without limit; MAX_VALUE keeps JSON finite.
        double used = allowed > 0 ? diff / allowed : Double.MAX_VALUE;
        if (used <= 1) {
            within++;
            if (used > worstUsed) {
                worst(i, used, c, m);
            }
        } else {
            outside(i, used, c, m);
        }
    }

    private void outside(long i, double used, double c, double m) {
        if (used > worstUsed) {
            worst(i, used, c, m);
        }
    }

    private void worst(long i, double used, double c, double m) {
        worstUsed = used;
        worstIndex = i;
        worstClaimed = c;
        worstMine = m;
    }

    boolean allWithin() {
        return within == elements;
    }

    void putInto(Map<String, Object> stats) {
        stats.put("elements", elements);
        stats.put("within", within);
        if (!floating) {
            stats.put("worst_index", firstOutside); // the first differing element
            return;
        }
        stats.put("max_abs", maxAbs);
        stats.put("max_rel", maxRel);
        stats.put("worst_index", worstIndex);
        stats.put("tolerance_used", Math.max(worstUsed, 0));
        stats.put("nonfinite_mismatches", nonfinite);
    }

    /** One line: how many elements are outside, and the worst one with its position in the shape. */
    String describe(List<Long> shape, Sides sides) {
        if (!floating) {
            return firstOutside < 0
                    ? elements + " elements equal"
                    : (elements - within) + " of " + elements + " elements differ (compared exactly), first at element "
                            + firstOutside + " " + position(firstOutside, shape);
        }
        if (worstIndex < 0) {
            return elements + " elements equal";
        }
        String worst = "element " + worstIndex + " " + position(worstIndex, shape) + ": " + worstClaimed
                + TensorComparison.both(sides, worstMine)
                + (worstUsed == Double.MAX_VALUE
                        ? ""
                        : String.format(Locale.ROOT, ", %.3g of its tolerance", worstUsed));
        return (elements - within) + " of " + elements + " elements outside the tolerance; worst " + worst;
    }

    private static List<Long> position(long flat, List<Long> shape) {
        List<Long> at = new ArrayList<>(shape.size());
        long rest = flat;
        for (int d = shape.size() - 1; d >= 0; d--) {
            long n = Math.max(shape.get(d), 1);
            at.add(0, rest % n);
            rest /= n;
        }
        return at;
    }
}
