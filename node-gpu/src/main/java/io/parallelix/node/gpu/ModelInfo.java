package io.parallelix.node.gpu;

import java.util.List;

/**
 * A loaded model: name, SHA-256 of its file (computed once at load), its metadata, the execution
 * provider actually in use ("CUDAExecutionProvider", "CPUExecutionProvider"), device ids, whether
 * it runs in deterministic mode, and whether warm-up and canary have passed.
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
        boolean ready) {}
