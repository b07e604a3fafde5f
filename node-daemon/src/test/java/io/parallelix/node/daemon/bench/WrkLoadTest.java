package io.parallelix.node.daemon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The bench's warm-up is cut into short wrk runs, so connections close and reopen during it. */
class WrkLoadTest {
    @Test
    void warmRuns_coverTheWholeWarmUp_inRunsOfAtMostFiveSeconds() {
        assertThat(WrkLoad.warmRuns(60)).containsExactly(5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5);
        assertThat(WrkLoad.warmRuns(12)).containsExactly(5, 5, 2);
        assertThat(WrkLoad.warmRuns(5)).containsExactly(5);
        assertThat(WrkLoad.warmRuns(3)).containsExactly(3);
    }

    @Test
    void warmRuns_ofNoTimeAtAll_stillRunOneSecond() {
        assertThat(WrkLoad.warmRuns(0)).containsExactly(1);
        assertThat(WrkLoad.warmRuns(-4)).containsExactly(1);
    }
}
