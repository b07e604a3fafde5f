package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class NodePlacementTest {
    @Test
    void count_profileEvents_distinctNodesPerProvider() throws Exception {
        String profile = """
                [
                {"cat":"Session","name":"model_loading_uri","args":{}},
                {"cat":"Node","name":"MatMul_0_kernel_time","args":{"provider":"CUDAExecutionProvider"}},
                {"cat":"Node","name":"MatMul_0_kernel_time","args":{"provider":"CUDAExecutionProvider"}},
                {"cat":"Node","name":"MatMul_0_fence_before","args":{"provider":"CUDAExecutionProvider"}},
                {"cat":"Node","name":"Shape_1_kernel_time","args":{"provider":"CPUExecutionProvider"}},
                {"cat":"Node","name":"Add_2_kernel_time","args":{"provider":"CUDAExecutionProvider"}}
                ]
                """;

        assertThat(NodePlacement.count(new ObjectMapper().readTree(profile)))
                .containsExactly(
                        java.util.Map.entry("CPUExecutionProvider", 1),
                        java.util.Map.entry("CUDAExecutionProvider", 2));
    }
}
