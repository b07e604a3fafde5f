package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.InferenceException.InvalidInput;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Shapes against a MiniLM-like model: ids and mask [batch_size, sequence_length], extra [-1, 8] unnamed. */
class InputBoundsTest {
    private static final TensorSpec IDS = new TensorSpec("ids", DataType.INT64, List.of(-1L, -1L));
    private static final TensorSpec MASK = new TensorSpec("mask", DataType.INT64, List.of(-1L, -1L));
    private static final TensorSpec EXTRA = new TensorSpec("extra", DataType.FP32, List.of(-1L, 8L));
    private static final Map<String, List<String>> NAMES = Map.of(
            "ids", List.of("batch_size", "sequence_length"),
            "mask", List.of("batch_size", "sequence_length"),
            "extra", List.of("", ""));

    private static InputBounds bounds(InputLimits limits) {
        return new InputBounds("m", NAMES, limits);
    }

    @Test
    void add_sharedDimensionNamesDisagree_namesBothInputs() throws Exception {
        InputBounds.Tally tally = bounds(InputLimits.defaults()).tally();
        tally.add("inputs[0]", IDS, List.of(1L, 3L));

        assertThatThrownBy(() -> tally.add("inputs[1]", MASK, List.of(1L, 4L)))
                .isInstanceOf(InvalidInput.class)
                .hasMessageContaining(
                        "input 'mask' dimension 1 (sequence_length) is 4, but input 'ids' has" + " sequence_length 3");
    }

    @Test
    void add_unnamedDynamicDimensions_notCompared() {
        InputBounds.Tally tally = bounds(InputLimits.defaults()).tally();

        assertThatCode(() -> {
                    tally.add("inputs[0]", EXTRA, List.of(2L, 8L));
                    tally.add("inputs[1]", IDS, List.of(5L, 3L));
                    tally.add("inputs[2]", MASK, List.of(5L, 3L));
                })
                .doesNotThrowAnyException();
    }

    @Test
    void add_beyondMaxBatchOrSequence_refusedNamingTheInputAndKey() throws Exception {
        InputLimits limits = new InputLimits(16, 512, 1 << 20, 1 << 20);

        assertThatCode(() -> bounds(limits).tally().add("inputs[0]", IDS, List.of(16L, 512L)))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> bounds(limits).tally().add("inputs[0]", IDS, List.of(1L, 513L)))
                .isInstanceOfSatisfying(
                        InvalidInput.class, e -> assertThat(e.field()).isEqualTo("inputs[0].shape"))
                .hasMessageContaining("input 'ids' dimension 1 (sequence) is 513; model 'm' takes at most 512")
                .hasMessageContaining("limits.max_sequence");
        assertThatThrownBy(() -> bounds(limits).tally().add("inputs[1]", MASK, List.of(17L, 4L)))
                .hasMessageContaining("input 'mask' dimension 0 (batch) is 17")
                .hasMessageContaining("limits.max_batch");
    }

    @Test
    void add_fixedDimensions_leftToTheValidator() {
        InputLimits limits = new InputLimits(1, 1, 1 << 20, 1 << 20);

        assertThatCode(() -> bounds(limits).tally().add("inputs[0]", EXTRA, List.of(1L, 8L)))
                .doesNotThrowAnyException();
    }

    @Test
    void add_tooManyElements_perInputAndOverAll() throws Exception {
        InputLimits limits = new InputLimits(0, 0, 1000, 1500);

        assertThatThrownBy(() -> bounds(limits).tally().add("inputs[0]", IDS, List.of(1L, 1001L)))
                .hasMessageContaining("input 'ids' [1, 1001] has 1001 elements; model 'm' takes at most 1000 per input")
                .hasMessageContaining("limits.max_elements_per_input");
        InputBounds.Tally tally = bounds(limits).tally();
        tally.add("inputs[0]", IDS, List.of(1L, 1000L));
        assertThatThrownBy(() -> tally.add("inputs[1]", MASK, List.of(1L, 1000L)))
                .hasMessageContaining("input 'mask' [1, 1000] brings the request to 2000 elements")
                .hasMessageContaining("limits.max_total_elements");
    }

    @Test
    void defaults_boundTheTotalElements() throws Exception {
        InputBounds.Tally tally = bounds(InputLimits.defaults()).tally();
        tally.add("inputs[0]", IDS, List.of(1L, 3_000_000L));

        assertThatThrownBy(() -> tally.add("inputs[1]", MASK, List.of(1L, 3_000_000L)))
                .hasMessageContaining("brings the request to 6000000 elements; model 'm' takes at most 4194304");
    }
}
