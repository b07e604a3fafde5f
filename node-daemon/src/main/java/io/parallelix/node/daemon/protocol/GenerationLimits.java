package io.parallelix.node.daemon.protocol;

/**
 * What one /v1/completions or /v1/chat/completions request may carry beside the body size bound:
 * choices ({@code n}), characters of prompt text summed over the prompt or every message's content
 * (UTF-16 code units, as Java and JavaScript count them), prompt token ids, and chat messages.
 * Generated tokens are bounded by the model ({@code GenerationInfo.maxNewTokens}), stop strings by
 * {@code StopMatcher}.
 */
public record GenerationLimits(int maxChoices, long maxChars, int maxTokenIds, int maxMessages) {
    public static final GenerationLimits DEFAULT = new GenerationLimits(4, 4L << 20, 1 << 20, 2048);

    public GenerationLimits {
        if (maxChoices < 1 || maxChars < 1 || maxTokenIds < 1 || maxMessages < 1) {
            throw new IllegalArgumentException("generation limits must be >= 1");
        }
    }
}
