package io.parallelix.node.gpu;

import java.nio.file.Path;

/**
 * Node-wide engine settings. {@code deterministic} is the node default (a model config may turn it
 * on for itself); intraOpThreads 0 means ORT's default, except in deterministic mode where it is
 * fixed. maxConcurrencyPerInstance bounds concurrent runs on one session.
 */
public record EngineConfig(
        Path modelsDir,
        ProviderMode provider,
        CudaOptions cuda,
        boolean deterministic,
        int intraOpThreads,
        int interOpThreads,
        int maxConcurrencyPerInstance) {}
