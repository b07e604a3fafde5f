package io.parallelix.node.gpu.verify;

/**
 * How a claimed generation is judged against the verifier's teacher-forced logits
 * (docs/verification.md): a greedy token passes when its recomputed logit is within
 * {@code tieLogitGap} of the maximum; a sampled token when the sampler with the claimed seed
 * reproduces it, or its recomputed probability under the request's sampling is at least
 * {@code minSampledProbability}; a claimed logprob within {@code logprobAbs} of the recomputed
 * one. At most {@code maxDeviatingPositions} positions per choice may fail those tests (0: none).
 * Defaults: docs/verification.md (measured).
 */
public record GenerationPolicy(
        double tieLogitGap, double minSampledProbability, double logprobAbs, int maxDeviatingPositions) {
    public GenerationPolicy {
        if (!(tieLogitGap >= 0) || !(logprobAbs >= 0)) {
            throw new IllegalArgumentException("tie_logit_gap and logprob_abs must be >= 0");
        }
        if (!(minSampledProbability >= 0 && minSampledProbability <= 1)) {
            throw new IllegalArgumentException(
                    "min_sampled_probability must be in [0, 1], got " + minSampledProbability);
        }
        if (maxDeviatingPositions < 0) {
            throw new IllegalArgumentException("max_deviating_positions must be >= 0, got " + maxDeviatingPositions);
        }
    }

    /**
     * Measured on CPU (GenerationVerificationEvidenceTest, docs/verification.md): honest nodes that
     * differ in intra-op threads and deterministic mode agree to a logit gap of 0 and logprobs
     * within 2.0e-6, and every sampled draw reproduces; so tie_logit_gap 1e-3 and logprob_abs 5e-4
     * leave margins of 250x and more, while logprob_abs still catches an FP16 copy whose smallest
     * logprob deviation was 9.8e-4; every sampled token must reproduce (0 deviating positions: a
     * sampled answer under another seed, or one edited token, is then always caught). These assume
     * CPU-level agreement between the two nodes; GPU kernels differ more (docs/verification.md,
     * "GPUs"), and an operator measures them with pxnode verify --compare and widens the policy.
     */
    public static GenerationPolicy defaults() {
        return new GenerationPolicy(1e-3, 1e-6, 5e-4, 0);
    }
}
