package io.parallelix.node.daemon.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.verify.VerifyPolicy;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verification: section: the built-in values are the measured defaults; a bad one names its key. */
class VerificationConfigTest {
    @TempDir
    Path home;

    private NodeConfig load(Map<String, String> overrides) throws ConfigException {
        return new ConfigLoader(Map.of(), home).load(null, overrides);
    }

    @Test
    void builtInPolicy_isTheMeasuredDefaults() throws Exception {
        assertThat(load(Map.of()).verification().policy()).isEqualTo(VerifyPolicy.defaults());
    }

    @Test
    void overrides_reachThePolicy() throws Exception {
        VerifyPolicy p = load(Map.of(
                        "verification.embeddings.min_cosine", "0.5",
                        "verification.generations.max_deviating_positions", "2"))
                .verification()
                .policy();
        assertThat(p.embeddings().minCosine()).isEqualTo(0.5);
        assertThat(p.generations().maxDeviatingPositions()).isEqualTo(2);
    }

    @Test
    void outOfRangeValues_areRefusedAtLoad_namingTheKey() {
        assertThatThrownBy(() -> load(Map.of("verification.embeddings.min_cosine", "2")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("verification.embeddings");
        assertThatThrownBy(() -> load(Map.of("verification.generations.max_deviating_positions", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("verification.generations");
        assertThatThrownBy(() -> load(Map.of("verification.tensors.fp32_absolute", "-1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("verification.tensors");
    }
}
