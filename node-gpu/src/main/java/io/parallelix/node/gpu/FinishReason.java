package io.parallelix.node.gpu;

/** Why a choice ended, as OpenAI names it: a stop string or an end-of-sequence id, or max_tokens / the context. */
public enum FinishReason {
    STOP("stop"),
    LENGTH("length");

    private final String wireName;

    FinishReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }
}
