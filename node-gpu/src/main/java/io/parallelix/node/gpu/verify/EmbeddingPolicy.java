package io.parallelix.node.gpu.verify;

/**
 * How close re-run embeddings must be to the claimed ones when bitwise equality is not required:
 * every vector's cosine similarity with the re-run one at least {@code minCosine}, and no
 * component further than {@code maxAbs}. Defaults: docs/verification.md (measured by
 * EmbeddingVerificationEvidenceTest on normalised vectors): honest reorderings stay near 1e-14 of
 * cosine and 6e-8 of a component; a 1%-perturbed model is 3.8 times past the cosine bound, an fp16
 * copy 6 times past max_abs. max_abs is absolute: a model that does not normalise wants its own.
 */
public record EmbeddingPolicy(double minCosine, double maxAbs) {
    public EmbeddingPolicy {
        if (!(minCosine >= -1 && minCosine <= 1)) {
            throw new IllegalArgumentException("min_cosine must be in [-1, 1], got " + minCosine);
        }
        if (!(maxAbs >= 0)) {
            throw new IllegalArgumentException("max_abs must be >= 0, got " + maxAbs);
        }
    }

    public static EmbeddingPolicy defaults() {
        return new EmbeddingPolicy(0.99999, 1e-5);
    }
}
