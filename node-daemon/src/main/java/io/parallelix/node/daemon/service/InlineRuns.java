package io.parallelix.node.daemon.service;

import io.parallelix.node.gpu.ModelInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Which admitted tasks run on the event loop that received them instead of on a worker. Handing a
 * task to a worker and its answer back costs two thread wake-ups and their cache misses, as much as
 * a tiny model's whole run (docs/benchmarks.md, "Second round"). A task runs inline only when
 * nothing can make the loop wait on it for long: its runner answers whole (never a stream that
 * waits on the client), its body is small, no task of its model that may take long is on a worker
 * (it could hold the session permit the loop would then wait for), and its model's recent tasks took
 * at most {@code max} each up to their signature, as measured here (a moving average, so one slow
 * outlier sends the model's next tasks back to the workers until fast ones bring it down again).
 * The loop's other connections then wait at most about {@code max} plus one signature.
 *
 * <p>The signature is left out of the measure: it costs the same on a worker, so it says nothing
 * about whether the hand-off pays, and counting it made the choice depend on the host's RSA speed
 * (with a 2.7 ms signature on a 2-vCPU AMD host the tiny model went to the workers, and paid ~340
 * µs more latency and ~13 % more CPU a request at c=1 than inline: docs/benchmarks.md, "Seventh
 * round").
 *
 * <p>A CPU model's task is timed in its thread's CPU time: the run computes on the calling thread,
 * and wall time would count the waits for the cores at saturation (8 tiny requests on 2 cores each
 * take ~2x their CPU), sending the tasks back to the workers exactly when the hand-off costs the
 * most. A model on a device is timed by the wall clock: its thread may sleep through a long run.
 */
final class InlineRuns {
    /** Bodies above this go to a worker whatever the model's average: cost grows with size. */
    static final int MAX_BODY_BYTES = 16 * 1024;
    /** Tasks of a model measured before it may run inline. */
    static final int WARM_TASKS = 16;
    /** After that, one task in this many is measured. */
    static final int SAMPLE_EVERY = 8;

    /** From {@link #start} when the task is not measured. */
    static final long NOT_TIMED = Long.MIN_VALUE;

    private final long maxNanos;
    private final Map<String, Cost> costs; // one per model, fixed at start: no growth per request
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();

    InlineRuns(Duration max, Collection<ModelInfo> models) {
        this.maxNanos = max.toNanos();
        boolean cpuClock = threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
        this.costs = models.stream()
                .collect(Collectors.toUnmodifiableMap(
                        ModelInfo::name, m -> new Cost(cpuClock && m.deviceIds().isEmpty()), (a, b) -> a));
    }

    boolean allows(String model, Submission<?> s) {
        Cost c = counted(model, s);
        return c != null && c.warm() && c.onWorkers.get() == 0 && c.averageNanos() <= maxNanos;
    }

    /**
     * A task of this model goes to a worker. One that may take long (a large body, a runner that
     * streams or verifies) is counted until {@link #leftWorker}, and returns true; a small whole
     * one does not count (it is short, or its model does not run inline anyway), so a model under
     * steady load still moves to the loops once warm.
     */
    boolean toWorker(String model, Submission<?> s) {
        Cost c = costs.get(model);
        if (maxNanos == 0 || c == null || counted(model, s) != null) {
            return false;
        }
        c.onWorkers.incrementAndGet();
        return true;
    }

    /** A task {@link #toWorker} counted is done. */
    void leftWorker(String model) {
        Cost c = costs.get(model);
        if (c != null) {
            c.onWorkers.decrementAndGet();
        }
    }

    /**
     * Called on the task's thread as it starts: what {@link #finish} measures from. Once a model
     * is warm, one task in {@link #SAMPLE_EVERY} is timed: a thread's CPU clock is a system call
     * (~2.6 µs on the 2-vCPU bench host), and the average needs no more.
     */
    long start(String model, Submission<?> s) {
        Cost c = counted(model, s);
        return c == null || !c.sample() ? NOT_TIMED : now(c);
    }

    /** Called on the same thread once the task's result is ready, before it is signed (failures are not measured). */
    void finish(String model, Submission<?> s, long started) {
        Cost c = counted(model, s);
        if (c != null && started != NOT_TIMED) {
            c.add(now(c) - started);
        }
    }

    /** One whole-answer task of this model took this long (decode to result), inline or not. */
    void observe(String model, Submission<?> s, long nanos) {
        Cost c = counted(model, s);
        if (c != null) {
            c.add(nanos);
        }
    }

    private @Nullable Cost counted(String model, Submission<?> s) {
        Cost c = costs.get(model);
        return maxNanos > 0 && c != null && s.runner().answersWhole() && s.bodyBytes() <= MAX_BODY_BYTES ? c : null;
    }

    private long now(Cost c) {
        return c.cpuTimed ? threads.getCurrentThreadCpuTime() : System.nanoTime();
    }

    /** A moving average, weight 1/8 for the newest task; trusted from {@link #WARM_TASKS} tasks on. */
    private static final class Cost {
        private final boolean cpuTimed;
        private final AtomicLong started = new AtomicLong();
        private final AtomicLong seen = new AtomicLong();
        private final AtomicLong average = new AtomicLong();
        private final AtomicInteger onWorkers = new AtomicInteger();

        Cost(boolean cpuTimed) {
            this.cpuTimed = cpuTimed;
        }

        /** Every task until warm (failed ones are never measured, so count what was), then 1 in 8. */
        boolean sample() {
            long n = started.getAndIncrement();
            return !warm() || n % SAMPLE_EVERY == 0;
        }

        void add(long nanos) {
            long n = seen.incrementAndGet();
            average.updateAndGet(a -> n == 1 ? nanos : a + (nanos - a) / 8);
        }

        boolean warm() {
            return seen.get() >= WARM_TASKS;
        }

        long averageNanos() {
            return average.get();
        }
    }
}
