package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.InferenceException.InputRejected;
import io.parallelix.node.gpu.InferenceException.InvalidInput;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.gpu.testing.TestTensors;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tensors the model cannot take (issue 12, item 7), each answered as the client's mistake: what
 * the model's bounds catch before ONNX Runtime as InvalidInput naming the input, what only ORT can
 * see (an index past an embedding table) as InputRejected. The engine keeps serving after each.
 */
class MiniLmBadInputTest {
    @TempDir
    static Path models;

    static InferenceEngine engine;

    @BeforeAll
    static void open() throws Exception {
        MiniLm.write(models);
        engine = InferenceEngine.open(TestModels.cpuConfig(models));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    @AfterEach
    void stillServes() throws Exception {
        assertThat(engine.infer(MiniLm.sentence(8)).safetensors()).isNotEmpty();
    }

    @Test
    void infer_tokenIdBeyondTheVocabulary_inputRejected() {
        long[] ids = {101, 999_999, 102};

        assertThatThrownBy(() -> engine.infer(MiniLm.request(rows(ids), rows(1, 1, 1), rows(0, 0, 0))))
                .isInstanceOf(InputRejected.class)
                .hasMessageContaining("model 'minilm' refused the input values")
                .hasMessageContaining("word_embeddings/Gather")
                .hasMessageContaining("idx=999999");
    }

    @Test
    void infer_tokenTypeBeyondItsTable_inputRejected() {
        assertThatThrownBy(() -> engine.infer(MiniLm.request(rows(101, 7592, 102), rows(1, 1, 1), rows(0, 5, 0))))
                .isInstanceOf(InputRejected.class)
                .hasMessageContaining("token_type_embeddings/Gather")
                .hasMessageContaining("idx=5");
    }

    @Test
    void infer_sequenceBeyond512_invalidInputNamingTheInput() {
        for (int tokens : new int[] {513, 600}) {
            assertThatThrownBy(() -> engine.infer(MiniLm.sentence(tokens)))
                    .as("%d tokens", tokens)
                    .isInstanceOfSatisfying(
                            InvalidInput.class, e -> assertThat(e.field()).isEqualTo("inputs[0].shape"))
                    .hasMessageContaining("input 'input_ids' dimension 1 (sequence) is " + tokens)
                    .hasMessageContaining("takes at most 512 (limits.max_sequence)");
        }
    }

    @Test
    void infer_inputsOfDifferentSequenceLengths_invalidInputNamingBoth() {
        InferenceRequest request = new InferenceRequest(
                "r",
                MiniLm.NAME,
                List.of(
                        TestTensors.int64("input_ids", List.of(1L, 3L), 101, 7592, 102),
                        TestTensors.int64("attention_mask", List.of(1L, 4L), 1, 1, 1, 1),
                        TestTensors.int64("token_type_ids", List.of(1L, 3L), 0, 0, 0)),
                List.of(),
                Instant.now().plusSeconds(60));

        assertThatThrownBy(() -> engine.infer(request))
                .isInstanceOfSatisfying(
                        InvalidInput.class, e -> assertThat(e.field()).isEqualTo("inputs[1].shape"))
                .hasMessageContaining("input 'attention_mask' dimension 1 (sequence_length) is 4, but input"
                        + " 'input_ids' has sequence_length 3");
    }

    @Test
    void infer_millionTokens_refusedBeforeOnnxRuntime() {
        long[] million = new long[1_000_000];

        assertThatThrownBy(() -> engine.infer(MiniLm.request(rows(million), rows(million), rows(million))))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("dimension 1 (sequence) is 1000000");
    }

    @Test
    void infer_megabyteInputName_quotedClipped() {
        String name = "n".repeat(1 << 20);
        InferenceRequest request = new InferenceRequest(
                "r",
                MiniLm.NAME,
                List.of(TestTensors.int64(name, List.of(1L), 1)),
                List.of(),
                Instant.now().plusSeconds(60));

        assertThatThrownBy(() -> engine.infer(request))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining("has no input '" + "n".repeat(64) + "...'")
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(300));
    }

    private static long[][] rows(long... row) {
        return new long[][] {Arrays.copyOf(row, row.length)};
    }
}
