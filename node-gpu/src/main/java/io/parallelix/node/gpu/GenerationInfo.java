package io.parallelix.node.gpu;

import java.util.List;

/**
 * What a generation model offers: its context length (prompt + generated tokens, from config.json's
 * {@code max_position_embeddings} or a lower {@code generation.context_length} in config.yaml), the
 * most tokens one choice may generate, its vocabulary size (client token ids must be below it),
 * the end-of-sequence ids (generation_config.json, else config.json, else the tokenizer's eos),
 * whether it has a chat template (chat completions need one), and how many sequences it runs at
 * once (its KV cache budget is sized for that many full contexts).
 */
public record GenerationInfo(
        int contextLength,
        int maxNewTokens,
        int vocabSize,
        List<Integer> eosTokenIds,
        boolean chatTemplate,
        int maxSequences) {
    public GenerationInfo {
        eosTokenIds = List.copyOf(eosTokenIds);
    }
}
