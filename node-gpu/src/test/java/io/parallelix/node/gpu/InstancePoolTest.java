package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.InferenceException.DeadlineExceeded;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Routing only: the instances hold no ORT session (null), which the pool never touches. */
class InstancePoolTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @Test
    void lease_goesToTheLeastLoadedInstance() throws Exception {
        SessionInstance a = instance();
        SessionInstance b = instance();
        InstancePool pool = new InstancePool("m", List.of(a, b));

        InstancePool.Lease first = pool.lease(CLOCK, NOW.plusSeconds(1));
        InstancePool.Lease second = pool.lease(CLOCK, NOW.plusSeconds(1));

        assertThat(List.of(first.instance(), second.instance())).containsExactlyInAnyOrder(a, b);
        assertThat(pool.inFlight()).isEqualTo(2);
        first.close();
        InstancePool.Lease third = pool.lease(CLOCK, NOW.plusSeconds(1));
        assertThat(third.instance()).isSameAs(first.instance());
        second.close();
        third.close();
        assertThat(pool.inFlight()).isZero();
    }

    @Test
    void lease_allPermitsTaken_deadlineExceededAndNotCounted() throws Exception {
        InstancePool pool = new InstancePool("m", List.of(instance()));
        InstancePool.Lease held = pool.lease(CLOCK, NOW.plusSeconds(1));

        Clock ticking = Clock.offset(Clock.systemUTC(), java.time.Duration.ZERO);
        assertThatThrownBy(() -> pool.lease(ticking, Instant.now().plusMillis(50)))
                .isInstanceOf(DeadlineExceeded.class)
                .hasMessageContaining("model 'm'");
        assertThatThrownBy(() -> pool.lease(CLOCK, NOW)).isInstanceOf(DeadlineExceeded.class);
        assertThat(pool.inFlight()).isEqualTo(1);
        held.close();
    }

    private static SessionInstance instance() {
        return new SessionInstance(null, "CPUExecutionProvider", 1);
    }
}
