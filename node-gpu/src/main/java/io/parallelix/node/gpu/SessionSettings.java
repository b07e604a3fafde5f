package io.parallelix.node.gpu;

/**
 * How a model's sessions are built, from node and model config. Deterministic mode fixes
 * intra-op threads (1 unless configured) and asks ORT for deterministic kernels.
 */
record SessionSettings(boolean deterministic, int intraOpThreads, int interOpThreads, boolean disableCpuEpFallback) {

    static SessionSettings of(EngineConfig node, ModelConfig model) {
        boolean deterministic = node.deterministic() || model.deterministic();
        int intra = model.intraOpThreads() > 0 ? model.intraOpThreads() : node.intraOpThreads();
        if (deterministic && intra == 0) {
            intra = 1;
        }
        return new SessionSettings(deterministic, intra, node.interOpThreads(), model.disableCpuEpFallback());
    }
}
