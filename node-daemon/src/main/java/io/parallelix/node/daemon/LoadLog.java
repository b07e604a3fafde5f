package io.parallelix.node.daemon;

import io.parallelix.node.daemon.service.LoadingStatus;
import io.parallelix.node.gpu.LoadProgress;
import io.parallelix.node.gpu.LoadStage;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * While the engine opens, one log line every {@code every} with the model, its stage and the bytes
 * hashed: a multi-GB model hashes and loads for a minute, and the journal should show it moving.
 */
final class LoadLog implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LoadLog.class);

    private final LoadingStatus status;
    private final long startNanos = System.nanoTime();
    private final ScheduledExecutorService ticker;

    LoadLog(LoadingStatus status, Duration every) {
        this.status = status;
        this.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pxnode-load-log");
            t.setDaemon(true);
            return t;
        });
        long ms = Math.max(1, every.toMillis());
        ticker.scheduleAtFixedRate(this::tick, ms, ms, TimeUnit.MILLISECONDS);
    }

    private void tick() {
        line((System.nanoTime() - startNanos) / 1_000_000_000).ifPresent(line -> log.info("{}", line));
    }

    /** The line for now, if a model is between its first report and ready. */
    Optional<String> line(long secondsSinceStart) {
        LoadProgress p = status.current();
        if (p == null || p.stage() == LoadStage.READY) {
            return Optional.empty();
        }
        return Optional.of("loading " + LoadingStatus.describe(p) + " (" + secondsSinceStart + " s since start)");
    }

    @Override
    public void close() {
        ticker.shutdownNow();
    }
}
