package io.parallelix.node.daemon.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.RuntimeFingerprint;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ResultRuntimeTest {
    private static final ResultRuntime CPU = new ResultRuntime(
            new RuntimeFingerprint("1.29.0", "CPUExecutionProvider", "AMD EPYC 9654", null, null, null, true, null, 1),
            "SunRsaSign",
            "PS256");

    @Test
    void json_sortedKeysNullsBooleanAndInteger_oneGoldenLine() {
        assertThat(CPU.json())
                .isEqualTo("{\"compute_capability\":null,\"crypto_provider\":\"SunRsaSign\",\"cuda_version\":null,"
                        + "\"cudnn_version\":null,\"deterministic\":true,\"device\":\"AMD EPYC 9654\","
                        + "\"driver_version\":null,\"intra_op_threads\":1,\"ort_version\":\"1.29.0\","
                        + "\"provider\":\"CPUExecutionProvider\",\"sig_alg\":\"PS256\"}");
    }

    @Test
    void metadata_stringsUnderThePrefix_unknownPartsAbsent() {
        assertThat(CPU.metadata())
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        "pxnode.crypto_provider", "SunRsaSign",
                        "pxnode.deterministic", "true",
                        "pxnode.device", "AMD EPYC 9654",
                        "pxnode.intra_op_threads", "1",
                        "pxnode.ort_version", "1.29.0",
                        "pxnode.provider", "CPUExecutionProvider",
                        "pxnode.sig_alg", "PS256"));
    }

    @Test
    void json_gpuFingerprint_everyPartPresentAndAscii() {
        ResultRuntime gpu = new ResultRuntime(
                new RuntimeFingerprint(
                        "1.29.0",
                        "CUDAExecutionProvider",
                        "NVIDIA H200 \"SXM\" \u00b5",
                        "570.1",
                        "12.4.127",
                        "9.1.0",
                        false,
                        "9.0",
                        0),
                "AmazonCorrettoCryptoProvider 2.5.0",
                "RS256");
        assertThat(gpu.json())
                .contains("\"compute_capability\":\"9.0\"", "\"device\":\"NVIDIA H200 \\\"SXM\\\" \\u00b5\"")
                .contains("\"deterministic\":false", "\"intra_op_threads\":0");
        assertThat(gpu.json().chars().allMatch(c -> c >= 0x20 && c <= 0x7e)).isTrue();
        assertThat(gpu.metadata())
                .containsEntry("pxnode.compute_capability", "9.0")
                .hasSize(11);
    }
}
