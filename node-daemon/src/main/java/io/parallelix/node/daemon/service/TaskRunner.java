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
}
