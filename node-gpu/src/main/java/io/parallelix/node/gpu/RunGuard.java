package io.parallelix.node.gpu;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets a run's terminate flag when its deadline passes; ORT checks the flag between kernels (and
 * between Loop iterations) and fails the run. Close it before the RunOptions: afterwards the
 * scheduled task can no longer touch them.
 */
final class RunGuard implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RunGuard.class);

    private final RunOptions options;
    private @Nullable ScheduledFuture<?> task;
    private boolean done;
    private boolean fired;

    private RunGuard(RunOptions options) {
        this.options = options;
    }

    /** Fires after {@code nanos}; Long.MAX_VALUE means no deadline. */
    static RunGuard start(ScheduledExecutorService scheduler, RunOptions options, long nanos) {
        RunGuard guard = new RunGuard(options);
        if (nanos != Long.MAX_VALUE) {
            ScheduledFuture<?> task = scheduler.schedule(guard::terminate, nanos, TimeUnit.NANOSECONDS);
            synchronized (guard) {
                guard.task = task;
            }
        }
        return guard;
    }

    private synchronized void terminate() {
        if (done) {
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
        ScheduledFuture<?> pending;
        synchronized (this) {
            done = true;
            pending = task;
        }
        if (pending != null) {
            pending.cancel(false);
        }
    }
}
