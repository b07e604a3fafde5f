package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession.RunOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The deadline watcher: a due run is stopped within ticks, a finished one never, also after it slept. */
class RunDeadlinesTest {
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(5);

    private RunOptions options;

    @BeforeEach
    void options() throws OrtException {
        OrtEnvironment.getEnvironment(); // RunOptions need ORT's native library loaded
        options = new RunOptions();
    }

    @AfterEach
    void close() {
        options.close();
    }

    @Test
    void start_deadlinePasses_runIsTerminatedWithinTicks() throws Exception {
        try (RunDeadlines deadlines = new RunDeadlines()) {
            RunGuard guard = RunGuard.start(deadlines, options, TimeUnit.MILLISECONDS.toNanos(20));
            assertThat(guard.fired()).isFalse();
            assertThat(waitFor(guard)).isTrue();
            guard.close();
        }
    }

    @Test
    void close_beforeTheDeadline_neverFires_andNoDeadlineNeverRegisters() throws Exception {
        try (RunDeadlines deadlines = new RunDeadlines()) {
            RunGuard finished = RunGuard.start(deadlines, options, TimeUnit.MILLISECONDS.toNanos(30));
            finished.close();
            RunGuard unbounded = RunGuard.start(deadlines, options, Long.MAX_VALUE);
            Thread.sleep(100);
            assertThat(finished.fired()).isFalse();
            assertThat(unbounded.fired()).isFalse();
            unbounded.close();
        }
    }

    @Test
    void start_afterTheWatcherFellAsleep_wakesItAndFires() throws Exception {
        try (RunDeadlines deadlines = new RunDeadlines(TimeUnit.MILLISECONDS.toNanos(10))) {
            long until = System.nanoTime() + WAIT_NANOS;
            while (!deadlines.idle() && System.nanoTime() < until) {
                Thread.sleep(5);
            }
            assertThat(deadlines.idle()).as("nothing to watch: it sleeps").isTrue();
            RunGuard guard = RunGuard.start(deadlines, options, TimeUnit.MILLISECONDS.toNanos(20));
            assertThat(waitFor(guard)).isTrue();
            guard.close();
        }
    }

    private static boolean waitFor(RunGuard guard) throws InterruptedException {
        long until = System.nanoTime() + WAIT_NANOS;
        while (!guard.fired() && System.nanoTime() < until) {
            Thread.sleep(2);
        }
        return guard.fired();
    }
}
