package io.parallelix.node.gpu.verify;

import io.parallelix.node.gpu.FinishReason;
import io.parallelix.node.gpu.GenerationInput;
import io.parallelix.node.gpu.TokenLogprobs;
import io.parallelix.node.gpu.sampling.SamplingParams;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Another node's answer to a generation request, as a verifier needs it: the request as it was
 * asked (input, sampling with the seed resolved as the claiming node resolved it, max_tokens, stop
 * strings), the prompt ids the claimer says it ran (null when the answer does not carry them:
 * the verifier tokenizes the input itself), and every claimed choice. The deadline bounds the check.
 */
@SuppressWarnings("ArrayRecordComponent")
public record GenerationClaim(
        String requestId,
        String model,
        GenerationInput input,
        SamplingParams sampling,
        int maxTokens,
        List<String> stop,
        int @Nullable [] promptIds,
        List<Choice> choices,
        Instant deadline) {
    public GenerationClaim {
        stop = List.copyOf(stop);
        choices = List.copyOf(choices);
    }

    /**
     * One claimed choice: its index (the sampler's choice number), every token id it generated
     * (including a final end-of-sequence id when the answer carries it), the claimed text and
     * finish reason, and the claimed logprobs per token when the answer returned them (else null).
     */
    @SuppressWarnings("ArrayRecordComponent")
    public record Choice(
            int index,
            int[] tokenIds,
            String text,
            FinishReason finish,
            @Nullable List<TokenLogprobs> logprobs) {}
}
