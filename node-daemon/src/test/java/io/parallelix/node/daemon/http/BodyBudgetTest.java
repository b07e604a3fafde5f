package io.parallelix.node.daemon.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BodyBudgetTest {
    private static final long MIB = 1 << 20;

    @Test
    void sized_zero_isHalfTheSmallerOfHeapAndDirectMemory() {
        assertThat(BodyBudget.sized(0, 64 << 20, 4096 * MIB, 8192 * MIB).max()).isEqualTo(2048 * MIB);
        assertThat(BodyBudget.sized(0, 64 << 20, 8192 * MIB, 1024 * MIB).max()).isEqualTo(512 * MIB);
    }

    @Test
    void sized_zeroOnASmallJvm_stillHoldsOneLargestBody() {
        assertThat(BodyBudget.sized(0, 64 << 20, 100 * MIB, 100 * MIB).max()).isEqualTo(64 * MIB);
    }

    @Test
    void sized_configured_isTakenAsIs() {
        assertThat(BodyBudget.sized(3 * MIB, 2 << 20, 4096 * MIB, 4096 * MIB).max())
                .isEqualTo(3 * MIB);
    }

    @Test
    void tryReserve_beyondTheMax_holdsNothing() {
        BodyBudget b = BodyBudget.sized(3 * MIB, 2 << 20, 0, 0);
        assertThat(b.tryReserve(2 * MIB)).isTrue();
        assertThat(b.tryReserve(2 * MIB)).isFalse();
        assertThat(b.held()).isEqualTo(2 * MIB);
        assertThat(b.tryReserve(MIB)).isTrue();
        b.release(3 * MIB);
        assertThat(b.held()).isZero();
    }
}
