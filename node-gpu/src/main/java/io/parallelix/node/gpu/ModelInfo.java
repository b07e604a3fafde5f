package io.parallelix.node.gpu;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A loaded model: name, SHA-256 of its file (computed once at load), its metadata, the execution
 * provider actually in use ("CUDAExecutionProvider", "CPUExecutionProvider"), device ids, whether
 * it runs in deterministic mode, whether warm-up and canary have passed, what it serves beyond
 * tensors, (embedding models only) its embedding facts and (generation models only) its generation facts.
 */
public record ModelInfo(
        String name,
        String sha256,
        List<TensorSpec> inputs,
        List<TensorSpec> outputs,
        String provider,
        List<Integer> deviceIds,
        int instances,
        boolean deterministic,
        boolean ready,
        ModelTask task,
        @Nullable EmbeddingInfo embedding,
        @Nullable GenerationInfo generation) {}
