package io.parallelix.node.daemon.bench;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A closed-loop load: {@code concurrency} threads, each calling the operation back to back. After
 * the warm-up, a window measures every call that completes inside it (as wrk does). The window
 * lasts {@code window}, and longer until at least {@code minCount} calls completed (at most five
 * windows), or ends early at {@code maxCount} calls. Throughput is completions over the window.
 */
final class ClosedLoop {
    /** One call; {@code thread} is the caller's index, for per-thread state. */
    @FunctionalInterface
    interface Op {
        void call(int thread) throws Exception;
    }

    /**
     * What a window measured; latencies in nanoseconds, sorted. {@code cpuNanos} is this process's
     * CPU time, {@code otherCores} the CPU the rest of the machine used meanwhile, in cores.
     */
    @SuppressWarnings("ArrayRecordComponent")
    record Stats(long count, long errors, double seconds, long cpuNanos, double otherCores, long[] sortedNanos) {
        double throughput() {
            return count / seconds;
        }

        double percentileMicros(double p) {
            if (sortedNanos.length == 0) {
                return Double.NaN;
            }
            int i = (int) Math.ceil(p / 100.0 * sortedNanos.length) - 1;
            return sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, i))] / 1e3;
        }

        double meanMicros() {
            return Arrays.stream(sortedNanos).average().orElse(Double.NaN) / 1e3;
        }

        /** CPU time of this process per completed call, in microseconds. */
        double cpuMicrosPerCall() {
            return count == 0 ? Double.NaN : cpuNanos / 1e3 / count;
        }
    }

    private ClosedLoop() {}

    static Stats run(int concurrency, Duration warmup, Duration window, long minCount, long maxCount, Op op)
            throws InterruptedException {
        AtomicLong completed = new AtomicLong();
        Object lock = new Object();
        List<Thread> threads = new ArrayList<>();
        Worker[] workers = new Worker[concurrency];
        for (int t = 0; t < concurrency; t++) {
            workers[t] = new Worker(t, op, completed, maxCount, lock);
            threads.add(Thread.ofPlatform().daemon().name("bench-client-" + t).unstarted(workers[t]));
        }
        threads.forEach(Thread::start);
        Thread.sleep(warmup.toMillis());
        long busyStart = MachineCpu.busyNanos();
        long cpuStart = processCpu();
        long start = System.nanoTime();
        for (Worker w : workers) {
            w.windowStart = start;
        }
        long end = start + window.toNanos();
        long last = start + 5 * window.toNanos();
        synchronized (lock) {
            while (true) {
                long now = System.nanoTime();
                long n = completed.get();
                if (n >= maxCount || now >= last || (now >= end && n >= minCount)) {
                    break;
                }
                // until the window's end, then in short steps until the minimum count
                long until = now < end ? end : Math.min(last, now + 10_000_000L);
                lock.wait(Math.max(1, (until - now) / 1_000_000));
            }
        }
        long stop = System.nanoTime();
        long cpuStop = processCpu();
        long busyStop = MachineCpu.busyNanos();
        for (Worker w : workers) {
            w.windowEnd = stop;
        }
        for (Thread t : threads) {
            t.join();
        }
        long[] all = new long[0];
        long errors = 0;
        for (Worker w : workers) {
            int at = all.length;
            all = Arrays.copyOf(all, at + w.size);
            System.arraycopy(w.latencies, 0, all, at, w.size);
            errors += w.errors;
        }
        Arrays.sort(all);
        double seconds = (stop - start) / 1e9;
        double other = Math.max(0, (busyStop - busyStart) - (cpuStop - cpuStart)) / 1e9 / seconds;
        return new Stats(all.length, errors, seconds, cpuStop - cpuStart, other, all);
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static final class Worker implements Runnable {
        final int index;
        final Op op;
        final AtomicLong completed;
        final long maxCount;
        final Object lock;
        volatile long windowStart; // 0 while warming up
        volatile long windowEnd = Long.MAX_VALUE;
        long[] latencies = new long[1024];
        int size;
        long errors;

        Worker(int index, Op op, AtomicLong completed, long maxCount, Object lock) {
            this.index = index;
            this.op = op;
            this.completed = completed;
            this.maxCount = maxCount;
            this.lock = lock;
        }

        @Override
        public void run() {
            while (true) {
                long t0 = System.nanoTime();
                boolean ok = true;
                try {
                    op.call(index);
                } catch (Exception | Error e) {
                    ok = false;
                }
                long t1 = System.nanoTime();
                if (t1 > windowEnd) {
                    return;
                }
                long from = windowStart;
                if (from == 0 || t1 < from) {
                    continue; // warm-up
                }
                if (!ok) {
                    errors++;
                    continue;
                }
                if (size == latencies.length) {
                    latencies = Arrays.copyOf(latencies, size * 2);
                }
                latencies[size++] = t1 - t0;
                if (completed.incrementAndGet() >= maxCount) {
                    synchronized (lock) {
                        lock.notifyAll();
                    }
                }
            }
        }
    }
}
