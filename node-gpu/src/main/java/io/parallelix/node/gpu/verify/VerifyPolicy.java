package io.parallelix.node.gpu.verify;

/**
 * The declared comparison policy: config.yaml's {@code verification:} section, printed in every
 * verdict. {@code exactWhenSameFingerprint}: when both nodes' runtime fingerprints match and both
 * ran deterministic, tensors and embeddings must be bitwise equal (tolerances are for honest
 * nodes that differ in hardware or settings).
 */
public record VerifyPolicy(
        TensorPolicy tensors,
        EmbeddingPolicy embeddings,
        GenerationPolicy generations,
        boolean exactWhenSameFingerprint) {
    public static VerifyPolicy defaults() {
        return new VerifyPolicy(TensorPolicy.defaults(), EmbeddingPolicy.defaults(), GenerationPolicy.defaults(), true);
    }
}
