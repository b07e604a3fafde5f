package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Seeded many-draw checks: the frequencies of the drawn tokens match the probabilities that the
 * transforms define (computed here with Math.exp over a plain sort), within 5 standard deviations
 * per token; tokens the truncation removes are never drawn. Deterministic: fixed seeds.
 */
class SamplerDistributionTest {
    private static final float[] LOGITS = {
        2.0f, 1.0f, 0.5f, 4.0f, 3.5f, -1.0f, 0.0f, 3.5f, 1.25f, -3.0f, 2.5f, 0.75f, -0.5f, 1.75f, 3.0f, -2.5f
    };
    private static final int DRAWS = 100_000;

    @ParameterizedTest(name = "T={0} top_k={1} top_p={2} min_p={3}, over {4}")
    @CsvSource({
        "1.0, 0, 1.0, 0, steps",
        "1.0, 0, 1.0, 0, choices",
        "0.5, 0, 1.0, 0, steps",
        "2.0, 0, 1.0, 0, steps",
        "1.0, 5, 1.0, 0, steps",
        "1.0, 0, 0.8, 0, steps",
        "1.0, 0, 1.0, 0.2, steps",
        "0.8, 6, 0.9, 0.05, choices"
    })
    void sample_manySeededDraws_matchTheProbabilities(
            double temperature, int topK, double topP, double minP, String over) {
        SamplingParams params =
                SamplingParams.defaults(12_345).withTemperature(temperature).withTruncation(topK, topP, minP);
        double[] expected = probabilities(temperature, topK, topP, minP);
        int[] counts = new int[LOGITS.length];
        TokenHistory history = new TokenHistory(LOGITS.length, new int[0], 0);
        Sampler one = new Sampler(LOGITS.length, params, 0);
        for (int i = 0; i < DRAWS; i++) {
            Sampler sampler = over.equals("choices") ? new Sampler(LOGITS.length, params, i) : one;
            counts[
                    sampler.sample(LOGITS, history, over.equals("choices") ? 0 : i)
                            .token()]++;
        }
        for (int t = 0; t < LOGITS.length; t++) {
            double mean = DRAWS * expected[t];
            double sd = Math.sqrt(DRAWS * expected[t] * (1 - expected[t]));
            if (expected[t] == 0) {
                assertThat(counts[t]).as("token %d is truncated away", t).isZero();
            } else {
                assertThat((double) counts[t])
                        .as("token %d: p=%f", t, expected[t])
                        .isBetween(mean - 5 * sd - 1, mean + 5 * sd + 1);
            }
        }
    }

    @Test
    void uniform53_manyDraws_fillSixtyFourBucketsEvenly() {
        int[] buckets = new int[64];
        int n = 1 << 20;
        for (int i = 0; i < n; i++) {
            buckets[(int) (Philox.uniform53(99, i & 7, i >>> 3) >>> 47)]++;
        }
        double mean = n / 64.0;
        double sd = Math.sqrt(n * (1 / 64.0) * (63 / 64.0));
        for (int b : buckets) {
            assertThat((double) b).isBetween(mean - 5 * sd, mean + 5 * sd);
        }
    }

    /** The target distribution, straight from the definitions (HF order, ties by id). */
    private static double[] probabilities(double temperature, int topK, double topP, double minP) {
        int v = LOGITS.length;
        double max = IntStream.range(0, v).mapToDouble(i -> LOGITS[i]).max().orElseThrow();
        double[] w = new double[v];
        for (int i = 0; i < v; i++) {
            w[i] = Math.exp((LOGITS[i] - max) / temperature);
        }
        Integer[] order = IntStream.range(0, v).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -w[i]).thenComparingInt(i -> i));
        int kept = topK > 0 ? Math.min(topK, v) : v;
        double sum = 0;
        for (int i = 0; i < kept; i++) {
            sum += w[order[i]];
        }
        if (topP < 1) {
            double c = 0;
            for (int i = 0; i < kept; i++) {
                c += w[order[i]];
                if (c >= topP * sum) {
                    kept = i + 1;
                    break;
                }
            }
        }
        double[] p = new double[v];
        double total = 0;
        for (int i = 0; i < kept; i++) {
            if (w[order[i]] >= minP * w[order[0]]) {
                p[order[i]] = w[order[i]];
                total += w[order[i]];
            }
        }
        for (int i = 0; i < v; i++) {
            p[i] /= total;
        }
        return p;
    }
}
