package io.parallelix.node.gpu;

/** One input of an embedding request: text the model's tokenizer encodes, or token ids as given. */
public sealed interface EmbeddingInput {
    record Text(String text) implements EmbeddingInput {}

    /** Ids as the client tokenized them; used as they are (no special tokens added). */
    @SuppressWarnings("ArrayRecordComponent") // compared by content in tests only
    record Tokens(int[] ids) implements EmbeddingInput {}
}
