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

    public static GenerationPolicy defaults() {
        return new GenerationPolicy(0.05, 1e-6, 0.05, 0); // placeholder until measured
    }
}
