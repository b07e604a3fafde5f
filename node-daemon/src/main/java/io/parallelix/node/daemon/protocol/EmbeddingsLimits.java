package io.parallelix.node.daemon.protocol;

/**
 * What one /v1/embeddings request may carry: inputs (OpenAI allows 2048), characters of text
 * summed over its strings (UTF-16 code units, as Java and JavaScript count them), and token ids
 * summed over its token arrays. Bounds the decoded request and the tokenizer's work, beside the
 * body size bound every request has.
 */
public record EmbeddingsLimits(int maxInputs, long maxChars, long maxTokenIds) {
    public static final EmbeddingsLimits DEFAULT = new EmbeddingsLimits(2048, 8L << 20, 2L << 20);

    public EmbeddingsLimits {
        if (maxInputs < 1 || maxChars < 1 || maxTokenIds < 1) {
            throw new IllegalArgumentException("embedding limits must be >= 1");
        }
    }
}
