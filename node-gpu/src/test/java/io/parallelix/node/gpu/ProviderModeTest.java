package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProviderModeTest {
    @Test
    void fromConfig_knownValuesAnyCase_parsed() {
        assertThat(ProviderMode.fromConfig("cuda")).isEqualTo(ProviderMode.CUDA);
        assertThat(ProviderMode.fromConfig("CPU")).isEqualTo(ProviderMode.CPU);
        assertThat(ProviderMode.fromConfig(" auto ")).isEqualTo(ProviderMode.AUTO);
    }

    @Test
    void fromConfig_unknown_rejectedListingChoices() {
        assertThatThrownBy(() -> ProviderMode.fromConfig("tensorrt"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cuda, cpu or auto")
                .hasMessageContaining("'tensorrt'");
    }
}
