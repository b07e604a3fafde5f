package io.parallelix.node.gpu;

/**
 * Which execution provider a node asks for. CUDA is strict (no CUDA: refuse to start); AUTO uses
 * CUDA when it registers and otherwise runs on CPU with a loud warning; CPU never tries CUDA.
 */
public enum ProviderMode {
    CUDA,
    CPU,
    AUTO;

    /** Config value: "cuda", "cpu" or "auto". */
    public static ProviderMode fromConfig(String value) {
        throw new UnsupportedOperationException("stub");
    }
}
