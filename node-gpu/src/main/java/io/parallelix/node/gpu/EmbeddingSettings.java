package io.parallelix.node.gpu;

import org.jspecify.annotations.Nullable;

/**
 * config.yaml's {@code embedding:} block. Null or 0 means "as the model directory says"
 * (sentence-transformers' modules.json, 1_Pooling/config.json, sentence_bert_config.json);
 * truncatableDimensions lets requests ask for fewer dimensions (Matryoshka-trained models only).
 */
record EmbeddingSettings(
        @Nullable Pooling pooling, @Nullable Boolean normalize, int maxTokens, boolean truncatableDimensions) {
    static EmbeddingSettings defaults() {
        return new EmbeddingSettings(null, null, 0, false);
    }
}
