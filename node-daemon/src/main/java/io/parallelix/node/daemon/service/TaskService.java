package io.parallelix.node.daemon.service;

import io.parallelix.node.daemon.protocol.Task;
import java.util.concurrent.CompletableFuture;

/**
 * The service as transports see it: admit a task, or refuse it at once; drain on shutdown. A
 * narrow interface so that handler tests run against a fake without ONNX Runtime.
 */
public interface TaskService {
    /**
     * Admits or throws at once (unknown model 404, queue full or draining 503); called on an
     * event loop, so it counts and hands off, except a task it knows to be short and whole, which
     * it may run there and then. The future completes exactly once, with the signed answer or an
     * {@link io.parallelix.node.daemon.error.ApiException}.
     */
    <T extends Task> CompletableFuture<SignedAnswer> submit(Submission<T> submission);

    /** From now on every new task is refused with 503; those admitted still complete. */
    void beginDrain();

    /** Waits until no admitted task is left, at most {@code timeoutMillis}; true if idle. */
    boolean awaitIdle(long timeoutMillis) throws InterruptedException;

    boolean draining();

    int inFlight();
}
