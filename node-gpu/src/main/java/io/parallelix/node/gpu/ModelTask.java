package io.parallelix.node.gpu;

/**
 * What a model directory serves beyond the OIP tensor endpoint (which every model serves):
 * inferred from the files in it (a tokenizer and a pooling layout make an embedding model; a tokenizer and a graph with
 * {@code past_key_values} inputs a generation model) or set
 * by {@code task:} in its config.yaml.
 */
public enum ModelTask {
    TENSOR("tensor"),
    EMBEDDING("embedding"),
    /** A decoder-only language model with a key/value cache: completions and chat. */
    GENERATION("generation");

    private final String wireName;

    ModelTask(String wireName) {
        this.wireName = wireName;
    }

    /** As clients see it (/v1/models, errors): "tensor", "embedding", "generation". */
    public String wireName() {
        return wireName;
    }
}
