package io.parallelix.node.daemon.service;

/**
 * Where a streaming runner writes its answer as it goes. {@link #emit} may block while the client
 * reads slowly (backpressure, bounded by the write timeout) and throws
 * {@link io.parallelix.node.daemon.error.ApiException.ClientClosed} once the client is gone, which
 * ends the task within one step.
 */
public interface ChunkSink {
    void emit(byte[] chunk);

    /** A sink for answers that are never streamed: emitting into it is a bug. */
    ChunkSink NONE = chunk -> {
        throw new IllegalStateException("this request does not stream");
    };
}
