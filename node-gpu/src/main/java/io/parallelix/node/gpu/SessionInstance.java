package io.parallelix.node.gpu;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ORT session of a model on one device, running at most {@code maxConcurrency} requests at a
 * time. inFlight counts runs in progress and waiting, for least-loaded routing and metrics.
 */
final class SessionInstance implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SessionInstance.class);

    private final OrtSession session;
    private final String provider;
    private final int maxConcurrency;
    private final Semaphore permits;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean closed;

    SessionInstance(OrtSession session, String provider, int maxConcurrency) {
        this.session = session;
        this.provider = provider;
        this.maxConcurrency = maxConcurrency;
        this.permits = new Semaphore(maxConcurrency, true);
    }

    OrtSession session() {
        return session;
    }

    String provider() {
        return provider;
    }

    int maxConcurrency() {
        return maxConcurrency;
    }

    int inFlight() {
        return inFlight.get();
    }

    /** Permits free right now (tests wait on this to know a run holds one). */
    int availablePermits() {
        return permits.availablePermits();
    }

    void enter() {
        inFlight.incrementAndGet();
    }

    void leave() {
        inFlight.decrementAndGet();
    }

    /** A permit within the timeout, or false. Throws IllegalStateException once the engine is closed. */
    boolean tryAcquire(long timeoutNanos) throws InterruptedException {
        if (!permits.tryAcquire(timeoutNanos, TimeUnit.NANOSECONDS)) {
            return false;
        }
        if (closed) {
            permits.release();
            throw new IllegalStateException("the inference engine is closed");
        }
        return true;
    }

    void release() {
        permits.release();
    }

    /** Waits for the runs in progress (each is bounded by its deadline), then frees the session. */
    @Override
    public void close() {
        closed = true;
        permits.acquireUninterruptibly(maxConcurrency);
        try {
            session.close();
        } catch (OrtException e) {
            log.warn("closing an ONNX Runtime session failed: {}", e.getMessage());
        }
    }
}
