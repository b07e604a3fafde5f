package io.parallelix.node.gpu;

import java.util.Locale;

/**
 * Which execution provider a node asks for. CUDA is strict (no CUDA: refuse to start); AUTO uses
 * CUDA when it registers and otherwise runs on CPU with a loud warning; CPU never tries CUDA.
 */
public enum ProviderMode {
    CUDA,
    CPU,
    AUTO;

    /** Config value: "cuda", "cpu" or "auto" (any case); anything else is an IllegalArgumentException. */
    public static ProviderMode fromConfig(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "cuda" -> CUDA;
            case "cpu" -> CPU;
            case "auto" -> AUTO;
            default ->
                throw new IllegalArgumentException("provider must be one of cuda, cpu or auto; got '" + value + "'");
        };
    }
}
