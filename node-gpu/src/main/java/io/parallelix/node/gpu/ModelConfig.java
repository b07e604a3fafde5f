package io.parallelix.node.gpu;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A model's optional config.yaml (format in docs/engine.md). Zero for maxConcurrency or
 * intraOpThreads means the node's setting; null warm-up or canary inputs mean zero-filled inputs
 * with every dynamic dimension 1. limits bounds request sizes (InputLimits). A null task means
 * "as the directory shows" (ModelLoader); embedding refines how an embedding model pools,
 * generation bounds a generation model's context, output and cache.
 */
record ModelConfig(
        @Nullable String sha256,
        int instances,
        boolean deterministic,
        boolean disableCpuEpFallback,
        int maxConcurrency,
        int intraOpThreads,
        int warmupRuns,
        InputLimits limits,
        @Nullable List<InputTensor> warmupInputs,
        @Nullable List<InputTensor> canaryInputs,
        List<Expected> canaryExpected,
        @Nullable ModelTask task,
        EmbeddingSettings embedding,
        GenerationSettings generation) {

    /** Expected values of one canary output: numbers (compared within tolerance) or strings (exactly). */
    record Expected(
            String name, @Nullable List<Long> shape, List<Double> numbers, List<String> strings, double tolerance) {
        Expected {
            shape = shape == null ? null : List.copyOf(shape);
            numbers = List.copyOf(numbers);
            strings = List.copyOf(strings);
        }
    }

    ModelConfig {
        warmupInputs = warmupInputs == null ? null : List.copyOf(warmupInputs);
        canaryInputs = canaryInputs == null ? null : List.copyOf(canaryInputs);
        canaryExpected = List.copyOf(canaryExpected);
    }

    static ModelConfig defaults() {
        return new ModelConfig(
                null,
                1,
                false,
                false,
                0,
                0,
                1,
                InputLimits.defaults(),
                null,
                null,
                List.of(),
                null,
                EmbeddingSettings.defaults(),
                GenerationSettings.defaults());
    }
}
