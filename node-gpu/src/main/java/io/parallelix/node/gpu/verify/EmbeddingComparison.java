package io.parallelix.node.gpu.verify;

import java.util.List;

/**
 * Re-run embeddings against the claimed ones: same count and dimensions; with {@code exact}
 * bitwise equal floats, else every vector's cosine >= min_cosine and every component within
 * max_abs. One CheckResult "embedding"; statistics: vectors, min_cosine, worst_vector, max_abs.
 */
public final class EmbeddingComparison {
    private EmbeddingComparison() {}

    public static CheckResult compare(
            List<float[]> claimed, List<float[]> mine, EmbeddingPolicy policy, boolean exact) {
        throw new UnsupportedOperationException("EmbeddingComparison: not built yet");
    }
}
