package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SamplerTest {
    private static final SamplingParams GREEDY = SamplingParams.defaults(0).withTemperature(0);

    @Test
    void sample_greedyWithTiedMaxima_choosesTheLowestId() {
        float[] logits = {1f, 5f, 2f, 5f, 5f};
        assertThat(sample(logits, GREEDY, 0).token()).isEqualTo(1);
    }

    @Test
    void sample_greedy_ignoresSeedStepAndTruncation() {
        float[] logits = random(1000, 1);
        int expected = sample(logits, GREEDY, 0).token();
        for (int step = 0; step < 20; step++) {
            SamplingParams p = GREEDY.withSeed(step * 31L).withTruncation(3, 0.5, 0.2);
            assertThat(sample(logits, p, step).token()).isEqualTo(expected);
        }
    }

    @Test
    void sample_topK1_isTheGreedyToken() {
        for (int seed = 0; seed < 50; seed++) {
            float[] logits = random(5000, seed);
            SamplingParams p =
                    SamplingParams.defaults(seed).withTruncation(1, 1, 0).withTemperature(1.3);
            assertThat(sample(logits, p, seed).token())
                    .isEqualTo(sample(logits, GREEDY, 0).token());
        }
    }

    @Test
    void sample_maskedTokens_areNeverChosen() {
        float[] logits = {Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY, 0f};
        for (int step = 0; step < 200; step++) {
            assertThat(sample(logits, SamplingParams.defaults(3).withTemperature(2), step)
                            .token())
                    .isIn(1, 3);
        }
    }

    @Test
    void sample_badLogits_areRefusedWithTheIndex() {
        assertThatThrownBy(() -> sample(new float[] {0f, Float.NaN}, GREEDY, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("logits[1] is NaN: logits must be finite or -Infinity");
        assertThatThrownBy(() -> sample(new float[] {Float.POSITIVE_INFINITY}, GREEDY, 0))
                .hasMessage("logits[0] is Infinity: logits must be finite or -Infinity");
        assertThatThrownBy(() -> sample(new float[] {Float.NEGATIVE_INFINITY}, GREEDY, 0))
                .hasMessage("every logit is -Infinity: no token can be chosen");
    }

    @Test
    void sample_mismatchedSizesOrNegativeStep_areRefused() {
        Sampler sampler = new Sampler(4, GREEDY, 0);
        TokenHistory history = new TokenHistory(4, new int[0], 0);
        assertThatThrownBy(() -> sampler.sample(new float[3], history, 0))
                .hasMessage("logits have 3 entries, the vocabulary 4");
        assertThatThrownBy(() -> sampler.sample(new float[4], new TokenHistory(5, new int[0], 0), 0))
                .hasMessage("the history is for a vocabulary of 5, not 4");
        assertThatThrownBy(() -> sampler.sample(new float[4], history, -1)).hasMessage("step must be >= 0, got -1");
        assertThatThrownBy(() -> new Sampler(4, GREEDY, -1)).hasMessage("choice index must be >= 0, got -1");
    }

    @Test
    void sample_leavesTheLogitsAsTheyWere() {
        float[] logits = random(300, 9);
        float[] copy = logits.clone();
        TokenHistory history = new TokenHistory(300, new int[] {1, 2, 3}, 4);
        history.append(7);
        SamplingParams p = SamplingParams.defaults(1).withPenalties(1.5, 1, 1).withTruncation(10, 0.9, 0.1);
        new Sampler(300, p.withLogprobs(5), 0).sample(logits, history, 1);
        assertThat(logits).isEqualTo(copy);
    }

    @Test
    void sample_logprobs_areTheRawModelDistribution() {
        float[] logits = random(2000, 4);
        SamplingParams p = SamplingParams.defaults(5)
                .withTemperature(0.3)
                .withPenalties(2, 1, 1)
                .withLogprobs(20);
        TokenHistory history = new TokenHistory(2000, new int[] {5, 6}, 3);
        SampledToken token = new Sampler(2000, p, 0).sample(logits, history, 0);
        SampledToken.Logprobs lp = token.logprobs();
        assertThat(lp).isNotNull();
        // independent of penalties and temperature: log-softmax of the logits themselves
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double lse = Math.log(sum);
        assertThat(lp.logprob()).isCloseTo(logits[token.token()] - max - lse, within(1e-12));
        assertThat(lp.top()).hasSize(20);
        for (int i = 0; i < 20; i++) {
            SampledToken.TokenLogprob t = lp.top().get(i);
            assertThat(t.logprob()).isCloseTo(logits[t.token()] - max - lse, within(1e-12));
            if (i > 0) {
                assertThat(t.logprob()).isLessThanOrEqualTo(lp.top().get(i - 1).logprob());
            }
        }
    }

    @Test
    void sample_noLogprobsAskedFor_returnsNone() {
        assertThat(sample(random(10, 1), SamplingParams.defaults(1), 0).logprobs())
                .isNull();
    }

    @Test
    void sample_penalties_followHuggingFaceAndOpenAi() {
        // z: token 0 positive seen in the prompt -> /2; token 1 negative generated twice -> *2 - 2*0.5 - 0.25
        float[] logits = {3f, -1f, 1.4f, -2.2f};
        TokenHistory history = new TokenHistory(4, new int[] {0}, 2);
        history.append(1);
        history.append(1);
        // penalised: 1.5, -3.25, 1.4, -2.2 -> greedy 0; without the penalty on 0 it stays 0 too, so
        // compare against a vocabulary where only penalties decide
        assertThat(new Sampler(4, GREEDY.withPenalties(2, 0.5, 0.25), 0)
                        .sample(logits, history, 2)
                        .token())
                .isEqualTo(0);
        float[] close = {3f, -1f, 1.6f, -2.2f};
        assertThat(new Sampler(4, GREEDY.withPenalties(2, 0.5, 0.25), 0)
                        .sample(close, history, 2)
                        .token())
                .isEqualTo(2);
        float[] raised = {0.5f, -1f, 1.0f, -2.2f};
        assertThat(new Sampler(4, GREEDY.withPenalties(1, -1, -0.6), 0)
                        .sample(raised, history, 2)
                        .token())
                .as("-1 + 2*1 + 0.6 = 1.6 beats 1.0")
                .isEqualTo(1);
    }

    @Test
    void farBelow_anyLogitItRejects_hasWeightZero() {
        SplittableRandom random = new SplittableRandom(325);
        for (int i = 0; i < 200_000; i++) {
            double t = i % 4 == 0 ? Math.scalb(1.0, -random.nextInt(0, 80)) : random.nextDouble(1e-6, 2);
            double max = (float) ((random.nextDouble() - 0.5) * Math.scalb(1.0, random.nextInt(-10, 60)));
            double far = Sampler.farBelow(max, t);
            // the largest doubles below far, and z from float32 logits just below it
            double[] zs = {Math.nextDown(far), Math.nextDown(Math.nextDown(far)), (double) Math.nextDown((float) far)};
            for (double z : zs) {
                if (z < far && (long) (PxMath.expw((z - max) / t) * 0x1p42) != 0) {
                    throw new AssertionError("max " + max + " t " + t + " z " + z + " has a weight");
                }
            }
        }
    }

    static SampledToken sample(float[] logits, SamplingParams params, int step) {
        return new Sampler(logits.length, params, 0)
                .sample(logits, new TokenHistory(logits.length, new int[0], 0), step);
    }

    static float[] random(int vocab, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        return logits;
    }
}
