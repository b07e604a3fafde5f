package io.parallelix.node.gpu;

/**
 * What a model directory serves beyond the OIP tensor endpoint (which every model serves):
 * inferred from the files in it (a tokenizer and a pooling layout make an embedding model) or set
 * by {@code task:} in its config.yaml.
 */
public enum ModelTask {
    TENSOR("tensor"),
    EMBEDDING("embedding");

    private final String wireName;

    ModelTask(String wireName) {
        this.wireName = wireName;
    }

    /** As clients see it (/v1/models, errors): "tensor", "embedding". */
    public String wireName() {
        return wireName;
    }
}
