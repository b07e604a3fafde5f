package io.parallelix.node.gpu;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a run's terminate flag when its deadline passes ({@link RunDeadlines} looks); ORT checks
 * the flag between kernels (and between Loop iterations) and fails the run. Close it before the
 * RunOptions: afterwards the watcher can no longer touch them.
 */
final class RunGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunGuard.class);

    private final RunOptions options;
    private final RunDeadlines deadlines;
    private final long deadlineNanos;
    private boolean done;
    private boolean fired;

    private RunGuard(RunOptions options, RunDeadlines deadlines, long deadlineNanos) {
        this.options = options;
        this.deadlines = deadlines;
        this.deadlineNanos = deadlineNanos;
    }

    /** Fires after {@code nanos}; Long.MAX_VALUE means no deadline. */
    static RunGuard start(RunDeadlines deadlines, RunOptions options, long nanos) {
        RunGuard guard = new RunGuard(options, deadlines, System.nanoTime() + nanos);
        if (nanos != Long.MAX_VALUE) {
            deadlines.add(guard);
        }
        return guard;
    }

    void terminateIfDue(long nowNanos) {
        if (nowNanos - deadlineNanos >= 0) {
            terminate();
        }
    }

    private synchronized void terminate() {
        if (done || fired) {
            return;
        }
        try {
            options.setTerminate(true);
            fired = true;
        } catch (OrtException | RuntimeException e) {
            log.warn("could not terminate a run past its deadline: {}", e.getMessage());
        }
    }

    synchronized boolean fired() {
        return fired;
    }

    @Override
    public void close() {
        deadlines.remove(this);
        synchronized (this) {
            done = true;
        }
    }
}
