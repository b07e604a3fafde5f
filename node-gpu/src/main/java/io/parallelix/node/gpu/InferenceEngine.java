package io.parallelix.node.gpu;

import java.util.List;
import java.util.Optional;

/**
 * The engine room: every model in the repository loaded, warmed up and canary-checked on the
 * configured provider, then run on request. Opening fails (EngineException) rather than leave a
 * half-ready node. Thread-safe; close() releases every session.
 */
public final class InferenceEngine implements AutoCloseable {

    public static InferenceEngine open(EngineConfig config) throws EngineException {
        throw new UnsupportedOperationException("stub");
    }

    public static InferenceEngine open(EngineConfig config, java.time.Clock clock) throws EngineException {
        throw new UnsupportedOperationException("stub");
    }

    /** Runs the whole request and returns the canonical result; blocks the calling thread. */
    public InferenceResult infer(InferenceRequest request) throws InferenceException {
        throw new UnsupportedOperationException("stub");
    }

    public List<ModelInfo> models() {
        throw new UnsupportedOperationException("stub");
    }

    public Optional<ModelInfo> model(String name) {
        throw new UnsupportedOperationException("stub");
    }

    public RuntimeFingerprint fingerprint() {
        throw new UnsupportedOperationException("stub");
    }

    /** Number of runs in progress or waiting for a session, per model (for metrics). */
    public int inFlight(String model) {
        throw new UnsupportedOperationException("stub");
    }

    @Override
    public void close() {
        throw new UnsupportedOperationException("stub");
    }
}
