package io.parallelix.node.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void parse_units_roundTripThroughFormat() {
        assertThat(Durations.parse("200us")).isEqualTo(Duration.ofNanos(200_000));
        assertThat(Durations.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(Durations.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        for (String s : new String[] {"200us", "1500us", "250ms", "30s", "5m", "1h", "1500ms"}) {
            assertThat(Durations.format(Durations.parse(s))).isEqualTo(s);
        }
    }

    @Test
    void parse_garbage_saysWhatADurationLooksLike() {
        assertThatThrownBy(() -> Durations.parse("30 seconds")).hasMessageContaining("200us, 250ms, 30s, 5m or 1h");
        assertThatThrownBy(() -> Durations.parse("-1s")).isInstanceOf(IllegalArgumentException.class);
    }
}
