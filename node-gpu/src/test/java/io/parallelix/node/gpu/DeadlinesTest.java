package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class DeadlinesTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void remainingNanos_pastPresentFutureAndFar() {
        assertThat(Deadlines.remainingNanos(CLOCK, NOW.minusSeconds(1))).isZero();
        assertThat(Deadlines.remainingNanos(CLOCK, NOW)).isZero();
        assertThat(Deadlines.remainingNanos(CLOCK, NOW.plusMillis(1500))).isEqualTo(1_500_000_000L);
        assertThat(Deadlines.remainingNanos(CLOCK, Instant.MAX)).isEqualTo(Long.MAX_VALUE);
        assertThat(Deadlines.remainingNanos(CLOCK, Instant.MIN)).isZero();
    }
}
