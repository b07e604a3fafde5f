package io.parallelix.node.daemon.http;

import io.netty.channel.SelectStrategy;
import io.netty.channel.SelectStrategyFactory;
import io.netty.util.IntSupplier;
import java.util.function.LongSupplier;

/**
 * An event loop with nothing to do polls its sockets (epoll_wait without a timeout) for a while
 * before it blocks. A blocked thread costs a wake-up when the next request arrives: on a virtual
 * machine an idle vCPU halts, and waking it goes through the host, tens of microseconds, as much as
 * the HTTP work of a small request. At concurrency 1 the next request comes one round trip after
 * the answer, so a short spin catches it.
 *
 * <p>Each loop sizes its own spin as Linux's haltpoll does: a block that ended within {@code max}
 * (the spin would have caught it) doubles the budget, from {@code max / 8} up to {@code max}; a
 * longer one halves it, to none below {@code max / 8}. A loop whose traffic comes in gaps longer
 * than {@code max}, or none, soon stops spinning; blocking stays the rule, and every block still
 * tells whether spinning would pay again. While spinning the loop answers {@link
 * SelectStrategy#CONTINUE}, so it runs the tasks other threads hand it between two polls.
 */
final class IdleSpin implements SelectStrategyFactory {
    private final long maxNanos;
    private final LongSupplier clock;

    /** {@code maxNanos} > 0; {@code clock} in nanoseconds (System::nanoTime). */
    IdleSpin(long maxNanos, LongSupplier clock) {
        if (maxNanos <= 0) {
            throw new IllegalArgumentException("the longest spin must be positive: " + maxNanos);
        }
        this.maxNanos = maxNanos;
        this.clock = clock;
    }

    @Override
    public SelectStrategy newSelectStrategy() {
        return new Loop(maxNanos, clock);
    }

    /** One loop's state, touched only by its own thread. */
    static final class Loop implements SelectStrategy {
        private final long maxNanos;
        private final long startNanos;
        private final LongSupplier clock;
        private long budgetNanos;
        private long idleSince = -1; // -1: busy
        private long blockedAt = -1; // -1: not blocked

        Loop(long maxNanos, LongSupplier clock) {
            this.maxNanos = maxNanos;
            this.startNanos = Math.max(1, maxNanos / 8);
            this.clock = clock;
            this.budgetNanos = maxNanos;
        }

        @Override
        public int calculateStrategy(IntSupplier selectNow, boolean hasTasks) throws Exception {
            if (blockedAt >= 0) { // back from a block: size the next spin by how long it lasted
                resize(clock.getAsLong() - blockedAt);
                blockedAt = -1;
            }
            int ready = selectNow.get();
            if (ready > 0 || hasTasks) {
                idleSince = -1;
                return ready;
            }
            long now = clock.getAsLong();
            if (idleSince < 0) {
                idleSince = now;
            }
            if (now - idleSince < budgetNanos) {
                Thread.onSpinWait();
                return SelectStrategy.CONTINUE;
            }
            blockedAt = now;
            idleSince = -1;
            return SelectStrategy.SELECT;
        }

        private void resize(long blockedNanos) {
            if (blockedNanos + budgetNanos <= maxNanos) { // a longer spin would have caught it
                budgetNanos = Math.min(maxNanos, Math.max(startNanos, budgetNanos * 2));
            } else {
                budgetNanos = budgetNanos / 2 < startNanos ? 0 : budgetNanos / 2;
            }
        }

        /** The spin the loop allows itself now (for tests). */
        long budgetNanos() {
            return budgetNanos;
        }
    }
}
