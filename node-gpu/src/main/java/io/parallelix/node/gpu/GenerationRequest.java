package io.parallelix.node.gpu;

import io.parallelix.node.gpu.sampling.SamplingParams;
import java.time.Instant;
import java.util.List;

/**
 * A whole generation request for one model: the prompt, the sampling of each choice (its seed
 * already resolved), at most {@code maxTokens} new tokens per choice (at least 1; the prompt plus
 * them must fit the context), {@code n} choices (0 .. n-1, each its own sequence from the same
 * prompt), up to four stop strings, and the absolute deadline on the engine's clock.
 */
public record GenerationRequest(
        String requestId,
        String model,
        GenerationInput input,
        SamplingParams sampling,
        int maxTokens,
        int n,
        List<String> stop,
        Instant deadline) {
    public GenerationRequest {
        stop = List.copyOf(stop);
        if (maxTokens < 1) {
            throw new IllegalArgumentException("maxTokens must be >= 1, got " + maxTokens);
        }
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
    }
}
