package io.parallelix.node.gpu.sampling;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One step's outcome: the token, and when logprobs were asked for, its logprob and the
 * top_logprobs under the model's own distribution (docs/generation.md, "Logprobs").
 */
public record SampledToken(int token, @Nullable Logprobs logprobs) {

    /** {@code top} is ordered by raw logit descending, token id ascending; at most top_logprobs long. */
    public record Logprobs(double logprob, List<TokenLogprob> top) {
        public Logprobs {
            top = List.copyOf(top);
        }
    }

    public record TokenLogprob(int token, double logprob) {}
}
