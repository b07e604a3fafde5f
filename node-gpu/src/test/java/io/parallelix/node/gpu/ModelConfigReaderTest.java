package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.testing.TestModels;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelConfigReaderTest {
    @TempDir
    Path dir;

    private final ModelConfigReader reader = new ModelConfigReader();

    @Test
    void read_noFile_defaults() throws Exception {
        assertThat(reader.read(dir)).isEqualTo(ModelConfig.defaults());
    }

    @Test
    void read_everyKey_parsed() throws Exception {
        TestModels.writeConfig(dir, """
                sha256: "ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef0123456789"
                instances: 2
                deterministic: true
                disable_cpu_ep_fallback: true
                max_concurrency: 3
                intra_op_threads: 4
                warmup:
                  runs: 0
                  inputs:
                    - {name: x, datatype: INT64, shape: [2], data: [-1, 9007199254740993]}
                canary:
                  inputs:
                    - {name: s, datatype: BYTES, shape: [1], data: ["hé"]}
                    - {name: f, datatype: BOOL, shape: [2], data: [true, 0]}
                  expected:
                    - {name: y, shape: [2], data: [1.5, 2], tolerance: 0.5}
                    - {name: z, data: ["a"]}
                  tolerance: 0.001
                """);

        ModelConfig config = reader.read(dir);

        assertThat(config.sha256()).isEqualTo("abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
        assertThat(config.instances()).isEqualTo(2);
        assertThat(config.deterministic()).isTrue();
        assertThat(config.disableCpuEpFallback()).isTrue();
        assertThat(config.maxConcurrency()).isEqualTo(3);
        assertThat(config.intraOpThreads()).isEqualTo(4);
        assertThat(config.warmupRuns()).isZero();
        ByteBuffer x = config.warmupInputs().get(0).data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(x.getLong()).isEqualTo(-1);
        assertThat(x.getLong()).isEqualTo(9007199254740993L);
        assertThat(config.canaryInputs())
                .extracting(InputTensor::datatype)
                .containsExactly(DataType.BYTES, DataType.BOOL);
        assertThat(config.canaryInputs().get(1).data()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 0}));
        assertThat(config.canaryExpected())
                .containsExactly(
                        new ModelConfig.Expected("y", List.of(2L), List.of(1.5, 2.0), List.of(), 0.5),
                        new ModelConfig.Expected("z", null, List.of(), List.of("a"), 0.001));
    }

    @Test
    void read_mistakes_rejectedNamingThePath() {
        assertRejected("instances: 0\n", "instances must be an integer >= 1");
        assertRejected("deterministic: yes please\n", "deterministic must be true or false");
        assertRejected("warmup:\n  run: 2\n", "unknown key 'warmup.run'");
        assertRejected(
                "canary:\n  inputs:\n    - {name: x, datatype: FP8, shape: [1], data: [1]}\n",
                "canary.inputs[0].datatype must be an OIP datatype");
        assertRejected(
                "canary:\n  inputs:\n    - {name: x, datatype: INT8, shape: [2], data: [1]}\n",
                "canary.inputs[0].data has 1 values; shape [2] needs 2");
        assertRejected(
                "canary:\n  inputs:\n    - {name: x, datatype: INT8, shape: [1], data: [300]}\n",
                "canary.inputs[0].data[0] = 300 is out of range for INT8");
        assertRejected(
                "canary:\n  inputs:\n    - {name: x, datatype: INT32, shape: [1], data: [1.5]}\n",
                "data[0] must be an integer for INT32");
        assertRejected("canary:\n  expected:\n    - {name: y, data: [1, \"a\"]}\n", "mixes numbers and strings");
        assertRejected("sha256: abc\n", "sha256 must be 64 hex digits");
        assertRejected("- just\n- a list\n", "config.yaml must be a mapping");
        assertRejected("instances: 1\ninstances: 2\n", "Duplicate field 'instances'");
    }

    @Test
    void read_limits_parsedAndAbsentKeysDefault() throws Exception {
        TestModels.writeConfig(dir, "limits:\n  max_batch: 16\n  max_sequence: 512\n  max_total_elements: 50000\n");

        assertThat(reader.read(dir).limits()).isEqualTo(new InputLimits(16, 512, 50000, 50000));
        assertThat(ModelConfig.defaults().limits())
                .isEqualTo(new InputLimits(0, 0, 1 << 22, 1 << 22))
                .isEqualTo(InputLimits.defaults());
    }

    @Test
    void read_badLimits_rejectedNamingTheKey() {
        assertRejected("limits:\n  max_sequence: 0\n", "limits.max_sequence must be an integer >= 1");
        assertRejected("limits:\n  max_total_elements: 1.5\n", "limits.max_total_elements must be an integer");
        assertRejected("limits:\n  max_seq: 512\n", "unknown key 'limits.max_seq'");
        assertRejected("limits: 512\n", "limits must be a mapping");
    }

    private void assertRejected(String yaml, String message) {
        TestModels.writeConfig(dir, yaml);
        assertThatThrownBy(() -> reader.read(dir)).hasMessageContaining(message);
    }
}
