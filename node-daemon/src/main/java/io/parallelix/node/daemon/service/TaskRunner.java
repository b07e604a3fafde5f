package io.parallelix.node.daemon.service;

import io.parallelix.node.daemon.protocol.Task;
import io.parallelix.node.gpu.InferenceException;

/**
 * Runs one kind of task on a worker thread: request in, canonical result bytes out. A runner
 * that streams emits its chunks through {@link TaskContext#sink()} as they are produced and may
 * return a last piece in {@link TaskOutput#result()}; the signed result is every emitted byte
 * followed by that piece, exactly what the client received.
 */
@FunctionalInterface
public interface TaskRunner<T extends Task> {
    TaskOutput run(T task, TaskContext context) throws InferenceException;

    /**
     * True for a runner that never streams (nothing waits on a client's reading) and whose work
     * grows only with its request: it may then run on the event loop that received it when its
     * model is measured short ({@link InlineRuns}). Streaming runners (and lambdas) stay on workers.
     */
    default boolean answersWhole() {
        return false;
    }
}
