package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A step at a 151,936-token vocabulary allocates its answer and nothing else. */
class SamplerAllocationTest {
    private static final int VOCAB = 151_936;

    @ParameterizedTest
    @ValueSource(doubles = {0.0, 0.8})
    void sample_afterWarmUp_allocatesAlmostNothingPerStep(double temperature) {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[] logits = SamplerTest.random(VOCAB, 42);
        SamplingParams params = SamplingParams.defaults(1)
                .withTemperature(temperature)
                .withTruncation(0, 0.9, 0)
                .withPenalties(1.2, 0.1, 0);
        TokenHistory history = new TokenHistory(VOCAB, new int[] {1, 2, 3, 4}, 400);
        Sampler sampler = new Sampler(VOCAB, params, 0);
        int sink = 0;
        for (int step = 0; step < 100; step++) {
            sink += sampler.sample(logits, history, step).token();
            history.append(step);
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        int steps = 200;
        for (int step = 100; step < 100 + steps; step++) {
            sink += sampler.sample(logits, history, step).token();
            history.append(step);
        }
        long perStep = (threads.getCurrentThreadAllocatedBytes() - before) / steps;
        assertThat(sink).isNotNegative();
        assertThat(perStep).as("bytes allocated per step").isLessThan(256);
    }
}
