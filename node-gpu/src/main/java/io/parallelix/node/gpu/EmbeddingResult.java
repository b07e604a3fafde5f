package io.parallelix.node.gpu;

import java.util.List;

/**
 * The vectors of an embedding request, in input order, with the number of tokens each input ran
 * with (after truncation). {@code inputsSha256} is the SHA-256 of the token ids that ran (see
 * docs/engine.md); timings in nanoseconds: waiting for a session, tokenizing and building tensors,
 * the ORT runs, pooling.
 */
@SuppressWarnings("ArrayRecordComponent") // results are compared by content, never by equals
public record EmbeddingResult(
        List<float[]> vectors,
        int[] tokenCounts,
        String modelSha256,
        String inputsSha256,
        String provider,
        long waitNanos,
        long tokenizeNanos,
        long runNanos,
        long poolNanos) {

    /** usage.prompt_tokens: every token that ran. */
    public int promptTokens() {
        int n = 0;
        for (int c : tokenCounts) {
            n += c;
        }
        return n;
    }
}
