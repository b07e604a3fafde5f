package io.parallelix.node.gpu;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Deadlines are instants on the engine's clock; the waits they bound are measured in nanoseconds. */
final class Deadlines {
    private Deadlines() {}

    /** Nanoseconds left (0 once passed), saturating at Long.MAX_VALUE for far-off deadlines. */
    static long remainingNanos(Clock clock, Instant deadline) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (left.isNegative()) {
            return 0;
        }
        return left.toSeconds() >= Long.MAX_VALUE / 1_000_000_000L - 1 ? Long.MAX_VALUE : left.toNanos();
    }
}
