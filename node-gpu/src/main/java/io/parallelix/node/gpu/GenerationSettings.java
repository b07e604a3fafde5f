package io.parallelix.node.gpu;

/**
 * config.yaml's {@code generation:} block; 0 means "as the model directory says".
 * contextLength caps config.json's max_position_embeddings (never raises it); maxNewTokens caps
 * what one choice may generate (default: the context); maxSequences is how many sequences run at
 * once (default: instances x max_concurrency, as far as kvCacheMib holds); kvCacheMib is the memory the key/value caches of
 * that many full contexts may take, checked when the model loads.
 */
record GenerationSettings(int contextLength, int maxNewTokens, int maxSequences, int kvCacheMib) {
    /** 4 GiB: a 1B-parameter model's full 8k context several times over; large models set it. */
    static final int DEFAULT_KV_CACHE_MIB = 4096;

    static GenerationSettings defaults() {
        return new GenerationSettings(0, 0, 0, DEFAULT_KV_CACHE_MIB);
    }
}
