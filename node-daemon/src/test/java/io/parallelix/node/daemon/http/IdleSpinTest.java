package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.SelectStrategy;
import io.netty.util.IntSupplier;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdleSpinTest {
    private static final long MAX = 200_000;

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final AtomicInteger ready = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final IntSupplier selectNow = () -> {
        polls.incrementAndGet();
        return ready.get();
    };
    private final IdleSpin.Loop loop = (IdleSpin.Loop) new IdleSpin(MAX, now::get).newSelectStrategy();

    @Test
    void readySockets_areHandedOverAtOnce() throws Exception {
        ready.set(3);
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(3);
        assertThat(loop.calculateStrategy(selectNow, true)).isEqualTo(3);
    }

    @Test
    void anIdleLoop_pollsUntilItsBudgetIsSpent_thenBlocks() throws Exception {
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.CONTINUE);
        now.addAndGet(MAX - 1);
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.CONTINUE);
        now.addAndGet(1);
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.SELECT);
        assertThat(polls).hasValue(3); // every round polls the sockets once
    }

    @Test
    void aRequestDuringTheSpin_isTakenWithoutBlocking_andTheNextIdleSpinsAfresh() throws Exception {
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.CONTINUE);
        now.addAndGet(MAX / 2);
        ready.set(1);
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(1);
        ready.set(0);
        now.addAndGet(10_000); // handling it took a while
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.CONTINUE);
        now.addAndGet(MAX - 1);
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.CONTINUE);
    }

    @Test
    void tasksHandedToTheLoop_runBetweenPolls() throws Exception {
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.CONTINUE);
        // a worker's answer arrives as a task: the loop runs it (0 sockets ready), then idles afresh
        assertThat(loop.calculateStrategy(selectNow, true)).isZero();
        now.addAndGet(MAX - 1);
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.CONTINUE);
    }

    @Test
    void longBlocks_shrinkTheSpinToNone_andShortOnesGrowItBack() throws Exception {
        assertThat(loop.budgetNanos()).isEqualTo(MAX);
        for (long expected : new long[] {MAX / 2, MAX / 4, MAX / 8, 0}) {
            idleThenBlock(10_000_000); // 10 ms of nothing: the spin was wasted
            assertThat(loop.budgetNanos()).isEqualTo(expected);
        }
        // spinning is off now: an idle loop blocks at once
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(SelectStrategy.SELECT);
        wakeAfter(50_000); // the next request came 50 µs later: a spin would have caught it
        assertThat(loop.budgetNanos()).isEqualTo(MAX / 8);
        for (long expected : new long[] {MAX / 4, MAX / 2, MAX, MAX}) {
            idleThenBlock(0);
            assertThat(loop.budgetNanos()).isEqualTo(expected);
        }
    }

    @Test
    void aLongestSpinOfZero_isRefused() {
        assertThatThrownBy(() -> new IdleSpin(0, now::get)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Spins out the whole budget, blocks, and wakes {@code blocked} ns later with a socket ready. */
    private void idleThenBlock(long blocked) throws Exception {
        int strategy;
        while ((strategy = loop.calculateStrategy(selectNow, false)) == SelectStrategy.CONTINUE) {
            now.addAndGet(MAX / 8);
        }
        assertThat(strategy).isEqualTo(SelectStrategy.SELECT);
        wakeAfter(blocked);
    }

    private void wakeAfter(long blocked) throws Exception {
        now.addAndGet(blocked);
        ready.set(1);
        assertThat(loop.calculateStrategy(selectNow, false)).isEqualTo(1);
        ready.set(0);
    }
}
