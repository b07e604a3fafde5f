package io.parallelix.node.daemon.service;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Which admitted tasks run on the event loop that received them instead of on a worker. Handing a
 * task to a worker and its answer back costs two thread wake-ups and their cache misses: on a
 * 2-vCPU host ~80 µs at c=1 and ~7 % of the throughput of a tiny model at c=8 (docs/benchmarks.md),
 * as much as the model's whole run. A task runs inline only when nothing can make the loop wait on
 * it for long: its runner answers whole (never a stream that waits on the client), its body is
 * small, and its model's recent tasks took at most {@code max} each, as measured here (a moving
 * average, so one slow outlier sends the model's next tasks back to the workers until fast ones
 * bring it down again). The loop's other connections then wait at most about {@code max}.
 */
final class InlineRuns {
    /** Bodies above this go to a worker whatever the model's average: cost grows with size. */
    static final int MAX_BODY_BYTES = 16 * 1024;
    /** Tasks of a model measured before it may run inline. */
    static final int WARM_TASKS = 16;

    private final long maxNanos;
    private final Map<String, Cost> costs; // one per model, fixed at start: no growth per request

    InlineRuns(Duration max, Collection<String> models) {
        this.maxNanos = max.toNanos();
        this.costs = models.stream().distinct().collect(Collectors.toUnmodifiableMap(m -> m, m -> new Cost()));
    }

    boolean allows(String model, Submission<?> s) {
        Cost c = costs.get(model);
        return maxNanos > 0
                && c != null
                && s.runner().answersWhole()
                && s.bodyBytes() <= MAX_BODY_BYTES
                && c.warm()
                && c.averageNanos() <= maxNanos;
    }

    /** One whole-answer task of this model took this long (decode to signature), inline or not. */
    void observe(String model, Submission<?> s, long nanos) {
        Cost c = costs.get(model);
        if (c != null && s.runner().answersWhole() && s.bodyBytes() <= MAX_BODY_BYTES) {
            c.add(nanos);
        }
    }

    /** A moving average, weight 1/8 for the newest task; trusted from {@link #WARM_TASKS} tasks on. */
    private static final class Cost {
        private final AtomicLong seen = new AtomicLong();
        private final AtomicLong average = new AtomicLong();

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
