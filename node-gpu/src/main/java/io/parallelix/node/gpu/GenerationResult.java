package io.parallelix.node.gpu;

import java.util.List;

/**
 * A whole generation: the prompt's token ids, each choice (text, every sampled token id
 * including a final end-of-sequence id, why it ended, logprobs per token when asked), the
 * model's digest, the provider, and how long it took: waiting for a session, the prefill run(s),
 * every decode step after it, the time to the first token (from the call, so queueing in the
 * engine counts), and the sampling and detokenizing share of it all.
 */
@SuppressWarnings("ArrayRecordComponent") // ids are compared by content in tests only
public record GenerationResult(
        int[] promptIds,
        List<Choice> choices,
        String modelSha256,
        String provider,
        long waitNanos,
        long prefillNanos,
        long decodeNanos,
        long firstTokenNanos,
        long loopNanos) {
    public GenerationResult {
        choices = List.copyOf(choices);
    }

    /** Tokens generated over every choice (OpenAI's completion_tokens). */
    public int completionTokens() {
        return choices.stream().mapToInt(c -> c.tokenIds().length).sum();
    }

    @SuppressWarnings("ArrayRecordComponent")
    public record Choice(int index, String text, int[] tokenIds, FinishReason finish, List<TokenLogprobs> logprobs) {
        public Choice {
            logprobs = List.copyOf(logprobs);
        }
    }
}
