package io.parallelix.node.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostPortTest {
    @Test
    void parse_hostAndIpv6_split() {
        assertThat(HostPort.parse("127.0.0.1:8080")).isEqualTo(new HostPort("127.0.0.1", 8080));
        assertThat(HostPort.parse("[::1]:0")).isEqualTo(new HostPort("::1", 0));
        assertThat(HostPort.parse("0.0.0.0:443")).isEqualTo(new HostPort("0.0.0.0", 443));
    }

    @ParameterizedTest
    @ValueSource(strings = {"8080", ":8080", "host:", "host:x", "host:65536", "host:-1"})
    void parse_malformed_namesListen(String s) {
        assertThatThrownBy(() -> HostPort.parse(s))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("listen");
    }
}
