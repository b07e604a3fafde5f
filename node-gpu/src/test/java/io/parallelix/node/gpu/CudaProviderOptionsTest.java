package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CudaProviderOptionsTest {
    @Test
    void forDevice_defaults_mapToOrtOptionStrings() {
        Map<String, String> options = CudaProviderOptions.forDevice(CudaOptions.defaults(), 0, false);

        assertThat(options)
                .containsExactly(
                        Map.entry("arena_extend_strategy", "kNextPowerOfTwo"),
                        Map.entry("cudnn_conv_algo_search", "HEURISTIC"),
                        Map.entry("device_id", "0"),
                        Map.entry("do_copy_in_default_stream", "1"),
                        Map.entry("use_tf32", "0"));
    }

    @Test
    void forDevice_everySetting_mapped() {
        CudaOptions cuda = new CudaOptions(List.of(0, 3), 8L << 30, "kSameAsRequested", "EXHAUSTIVE", true, false);

        Map<String, String> options = CudaProviderOptions.forDevice(cuda, 3, false);

        assertThat(options)
                .containsEntry("device_id", "3")
                .containsEntry("gpu_mem_limit", "8589934592")
                .containsEntry("arena_extend_strategy", "kSameAsRequested")
                .containsEntry("cudnn_conv_algo_search", "EXHAUSTIVE")
                .containsEntry("use_tf32", "1")
                .containsEntry("do_copy_in_default_stream", "0");
    }

    @Test
    void forDevice_deterministic_forcesHeuristicSearchAndNoTf32() {
        CudaOptions cuda = new CudaOptions(List.of(0), 0, "kNextPowerOfTwo", "EXHAUSTIVE", true, true);

        Map<String, String> options = CudaProviderOptions.forDevice(cuda, 0, true);

        assertThat(options).containsEntry("cudnn_conv_algo_search", "HEURISTIC").containsEntry("use_tf32", "0");
        assertThat(options).doesNotContainKey("gpu_mem_limit");
    }

    @Test
    void forDevice_badValues_rejectedWithTheKey() {
        assertThatThrownBy(() -> CudaProviderOptions.forDevice(
                        new CudaOptions(List.of(0), 0, "kDouble", "HEURISTIC", false, true), 0, false))
                .hasMessageContaining("arena_extend_strategy");
        assertThatThrownBy(() -> CudaProviderOptions.forDevice(
                        new CudaOptions(List.of(0), 0, "kNextPowerOfTwo", "FAST", false, true), 0, false))
                .hasMessageContaining("cudnn_conv_algo_search");
        assertThatThrownBy(() -> CudaProviderOptions.forDevice(
                        new CudaOptions(List.of(0), -1, "kNextPowerOfTwo", "HEURISTIC", false, true), 0, false))
                .hasMessageContaining("gpu_mem_limit");
        assertThatThrownBy(() -> CudaProviderOptions.forDevice(
                        new CudaOptions(List.of(), 0, "kNextPowerOfTwo", "HEURISTIC", false, true), 0, false))
                .hasMessageContaining("at least one device");
        assertThatThrownBy(() -> CudaProviderOptions.forDevice(
                        new CudaOptions(List.of(1, 1), 0, "kNextPowerOfTwo", "HEURISTIC", false, true), 1, false))
                .hasMessageContaining("repeat");
        assertThatThrownBy(() -> CudaProviderOptions.forDevice(CudaOptions.defaults(), 2, false))
                .hasMessageContaining("device 2 is not among");
    }
}
