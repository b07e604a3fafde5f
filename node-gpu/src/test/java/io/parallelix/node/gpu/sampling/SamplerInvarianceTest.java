package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The same inputs give the same tokens: on any thread, in any order, on a reused sampler. */
class SamplerInvarianceTest {
    private static final int VOCAB = 32_000;
    private static final SamplingParams PARAMS = SamplingParams.defaults(-77)
            .withTemperature(0.9)
            .withTruncation(0, 0.95, 0.01)
            .withPenalties(1.1, 0.3, 0.2)
            .withLogprobs(3);

    @Test
    void generate_onEightThreadsAtOnce_givesTheSameTokensAndLogprobs() throws Exception {
        List<SampledToken> reference = generate(0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<List<SampledToken>>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                runs.add(pool.submit(() -> generate(0)));
            }
            for (Future<List<SampledToken>> run : runs) {
                assertThat(run.get(60, TimeUnit.SECONDS)).isEqualTo(reference);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reference.stream().map(SampledToken::token).distinct().count())
                .as("the steps draw different tokens")
                .isGreaterThan(1);
    }

    @Test
    void sample_reusedSamplerAfterOtherSteps_answersAsAFreshOne() {
        float[] logits = SamplerTest.random(VOCAB, 3);
        TokenHistory history = new TokenHistory(VOCAB, new int[] {1, 2, 3}, 8);
        history.append(2);
        Sampler reused = new Sampler(VOCAB, PARAMS, 1);
        for (int step = 0; step < 5; step++) {
            reused.sample(SamplerTest.random(VOCAB, 100 + step), history, step);
        }
        SampledToken fresh = new Sampler(VOCAB, PARAMS, 1).sample(logits, history, 9);
        assertThat(reused.sample(logits, history, 9)).isEqualTo(fresh);
    }

    @Test
    void sample_generatedTokensInAnotherOrder_sameToken() {
        float[] logits = SamplerTest.random(VOCAB, 8);
        int[] generated = {5, 9, 5, 77, 9, 5};
        int[] shuffled = {9, 5, 77, 5, 5, 9};
        assertThat(tokenAfter(logits, shuffled)).isEqualTo(tokenAfter(logits, generated));
        assertThat(Arrays.stream(shuffled).sorted().toArray())
                .isEqualTo(Arrays.stream(generated).sorted().toArray());
    }

    private static SampledToken tokenAfter(float[] logits, int[] generated) {
        TokenHistory history = new TokenHistory(VOCAB, new int[] {5}, generated.length);
        for (int t : generated) {
            history.append(t);
        }
        return new Sampler(VOCAB, PARAMS, 0).sample(logits, history, generated.length);
    }

    /** 40 steps of a pretend decode loop: logits derived from the previous token. */
    private static List<SampledToken> generate(int choice) {
        TokenHistory history = new TokenHistory(VOCAB, new int[] {11, 12, 13}, 40);
        Sampler sampler = new Sampler(VOCAB, PARAMS, choice);
        List<SampledToken> out = new ArrayList<>();
        int previous = 13;
        for (int step = 0; step < 40; step++) {
            SampledToken t = sampler.sample(SamplerTest.random(VOCAB, previous), history, step);
            history.append(t.token());
            out.add(t);
            previous = t.token();
        }
        return out;
    }
}
