package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class SamplingParamsTest {
    private static final SamplingParams BASE = SamplingParams.defaults(7);

    @Test
    void constructor_outOfRangeFields_nameTheOpenAiField() {
        refused(() -> BASE.withTemperature(2.5), "temperature must be between 0 and 2, got 2.5");
        refused(() -> BASE.withTemperature(-0.1), "temperature must be between 0 and 2, got -0.1");
        refused(() -> BASE.withTemperature(Double.NaN), "temperature must be between 0 and 2, got NaN");
        refused(() -> BASE.withTruncation(-1, 1, 0), "top_k must be 0 (off) or a positive number of tokens, got -1");
        refused(() -> BASE.withTruncation(0, 0, 0), "top_p must be greater than 0 and at most 1, got 0.0");
        refused(() -> BASE.withTruncation(0, 1.5, 0), "top_p must be greater than 0 and at most 1, got 1.5");
        refused(() -> BASE.withTruncation(0, 1, 1.01), "min_p must be between 0 and 1, got 1.01");
        refused(() -> BASE.withPenalties(0, 0, 0), "repetition_penalty must be between 0.01 and 100, got 0.0");
        refused(() -> BASE.withPenalties(1, 2.5, 0), "frequency_penalty must be between -2 and 2, got 2.5");
        refused(
                () -> BASE.withPenalties(1, 0, Double.NEGATIVE_INFINITY),
                "presence_penalty must be between -2 and 2, got -Infinity");
        refused(() -> BASE.withLogprobs(21), "top_logprobs must be between 0 and 20, got 21");
        refused(() -> new SamplingParams(1, 0, 1, 0, 1, 0, 0, 0, false, 3), "top_logprobs needs logprobs: true");
    }

    @Test
    void constructor_edgesOfEveryRange_areAccepted() {
        SamplingParams p = BASE.withTemperature(2)
                .withTruncation(Integer.MAX_VALUE, Double.MIN_VALUE, 1)
                .withPenalties(100, -2, 2)
                .withLogprobs(20);
        assertThat(p.topLogprobs()).isEqualTo(20);
        assertThat(BASE.withTemperature(0).greedy()).isTrue();
        assertThat(BASE.greedy()).isFalse();
        assertThat(BASE.withPenalties(0.01, 2, -2).repetitionPenalty()).isEqualTo(0.01);
    }

    @Test
    void seedFromRequestId_differentIds_giveDifferentSeedsAndTheSameIdTheSameSeed() {
        assertThat(SamplingParams.seedFromRequestId("req-1")).isEqualTo(SamplingParams.seedFromRequestId("req-1"));
        assertThat(SamplingParams.seedFromRequestId("req-1")).isNotEqualTo(SamplingParams.seedFromRequestId("req-2"));
        // the values themselves are checked by scripts/sampling_reference.py (hashlib) through the vectors
    }

    @Test
    void seedFromRequestId_loneSurrogate_isRefused() {
        assertThatThrownBy(() -> SamplingParams.seedFromRequestId("a\uD800b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("lone surrogate");
    }

    private static void refused(Supplier<SamplingParams> make, String message) {
        assertThatThrownBy(make::get)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }
}
