package io.parallelix.node.gpu;

/**
 * What an embedding model offers: vector size, the most tokens one input may have (special tokens
 * included), its vocabulary size (token ids given by clients must be below it), the pooling
 * ("mean", "cls", "max", "last_token"), whether vectors are L2-normalised, and whether a request
 * may ask for fewer dimensions (Matryoshka models: truncate, then renormalise).
 */
public record EmbeddingInfo(
        int dimensions,
        int maxTokens,
        int vocabSize,
        String pooling,
        boolean normalize,
        boolean truncatableDimensions) {}
