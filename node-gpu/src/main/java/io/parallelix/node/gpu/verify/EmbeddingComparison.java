package io.parallelix.node.gpu.verify;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Re-run embeddings against the claimed ones: same count and dimensions; with {@code exact}
 * bitwise equal floats, else every vector's cosine >= min_cosine and every component within
 * max_abs. One CheckResult "embedding"; statistics: vectors, dimensions, min_cosine,
 * worst_vector (the lowest cosine), max_abs, max_abs_vector, bitwise_equal. Cosines and
 * differences are computed in double; a vector with a NaN or infinite component passes only
 * bitwise equal (its cosine means nothing).
 */
public final class EmbeddingComparison {
    private EmbeddingComparison() {}

    public static CheckResult compare(
            List<float[]> claimed, List<float[]> mine, EmbeddingPolicy policy, boolean exact) {
        return compare(claimed, mine, policy, exact, Sides.RERUN);
    }

    /** As above, with the details naming the sides as {@code sides} says. */
    public static CheckResult compare(
            List<float[]> claimed, List<float[]> mine, EmbeddingPolicy policy, boolean exact, Sides sides) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("vectors", claimed.size());
        if (claimed.size() != mine.size()) {
            return CheckResult.fail(
                    "embedding", claimed.size() + " vectors" + TensorComparison.both(sides, mine.size()), stats);
        }
        int dimensions = claimed.isEmpty() ? 0 : claimed.get(0).length;
        stats.put("dimensions", dimensions);
        for (int v = 0; v < claimed.size(); v++) {
            if (claimed.get(v).length != mine.get(v).length) {
                return CheckResult.fail(
                        "embedding",
                        "vector " + v + " has " + claimed.get(v).length + " dimensions"
                                + TensorComparison.both(sides, mine.get(v).length),
                        stats);
            }
        }
        double minCosine = 1;
        int worstVector = -1;
        double maxAbs = 0;
        int maxAbsVector = -1;
        int nonfinite = -1;
        boolean bitwise = true;
        for (int v = 0; v < claimed.size(); v++) {
            float[] a = claimed.get(v);
            float[] b = mine.get(v);
            if (Arrays.equals(a, b)) {
                continue;
            }
            bitwise = false;
            if (!finite(a) || !finite(b)) {
                nonfinite = nonfinite < 0 ? v : nonfinite;
                continue;
            }
            double cosine = cosine(a, b);
            if (worstVector < 0 || cosine < minCosine) {
                minCosine = cosine;
                worstVector = v;
            }
            double abs = maxAbs(a, b);
            if (abs > maxAbs) {
                maxAbs = abs;
                maxAbsVector = v;
            }
        }
        stats.put("min_cosine", minCosine);
        stats.put("worst_vector", worstVector);
        stats.put("max_abs", maxAbs);
        stats.put("max_abs_vector", maxAbsVector);
        stats.put("bitwise_equal", bitwise);
        if (bitwise) {
            return CheckResult.pass("embedding", "bitwise equal", stats);
        }
        String measured = String.format(
                java.util.Locale.ROOT,
                "min cosine %.9f (vector %d), max |diff| %.3g (vector %d)",
                minCosine,
                worstVector,
                maxAbs,
                maxAbsVector);
        if (exact) {
            return CheckResult.fail(
                    "embedding",
                    "not bitwise equal (required: same fingerprint, both deterministic); " + measured,
                    stats);
        }
        if (nonfinite >= 0) {
            return CheckResult.fail("embedding", "vector " + nonfinite + " has a NaN or infinite component", stats);
        }
        if (minCosine < policy.minCosine()) {
            return CheckResult.fail("embedding", measured + ": cosine below min_cosine " + policy.minCosine(), stats);
        }
        if (maxAbs > policy.maxAbs()) {
            return CheckResult.fail("embedding", measured + ": |diff| above max_abs " + policy.maxAbs(), stats);
        }
        return CheckResult.pass("embedding", "within tolerance; " + measured, stats);
    }

    /** cos(a, b); 1 for two zero vectors, 0 for a zero vector against another. */
    static double cosine(float[] a, float[] b) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        if (na == 0 || nb == 0) {
            return na == nb ? 1 : 0;
        }
        return Math.min(1, dot / Math.sqrt(na * nb));
    }

    private static double maxAbs(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    private static boolean finite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }
}
