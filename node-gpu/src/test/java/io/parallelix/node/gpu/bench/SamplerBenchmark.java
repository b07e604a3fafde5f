package io.parallelix.node.gpu.bench;

import io.parallelix.node.gpu.sampling.SampledToken;
import io.parallelix.node.gpu.sampling.Sampler;
import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.gpu.sampling.TokenHistory;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One sampling step, µs per token, at a Llama-2 (32,000) and a Qwen2 (151,936) vocabulary, on
 * LLM-like logits (Gaussian bulk, sigma 3, and a few peaks up to 18) with 256 tokens of history
 * and a repetition penalty. {@code baselineMaxOfLogits}, one read of the logits, puts the others in
 * units of this machine's memory speed. Run:
 * {@code java -cp <test class path> org.openjdk.jmh.Main SamplerBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SamplerBenchmark {
    @Param({"32000", "151936"})
    public int vocab;

    private float[] logits;
    private TokenHistory history;
    private Sampler greedy;
    private Sampler topP;
    private Sampler topPLogprobs;
    private int step;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(vocab);
        logits = new float[vocab];
        for (int i = 0; i < vocab; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        for (int i = 0; i < 8; i++) {
            logits[random.nextInt(vocab)] = 11 + i;
        }
        history = new TokenHistory(vocab, random.ints(192, 0, vocab).toArray(), 64);
        random.ints(64, 0, vocab).forEach(history::append);
        SamplingParams base = SamplingParams.defaults(7).withPenalties(1.1, 0, 0);
        greedy = new Sampler(vocab, base.withTemperature(0), 0);
        topP = new Sampler(vocab, base.withTemperature(0.8).withTruncation(0, 0.95, 0), 0);
        topPLogprobs = new Sampler(
                vocab, base.withTemperature(0.8).withTruncation(0, 0.95, 0).withLogprobs(5), 0);
    }

    @Benchmark
    public float baselineMaxOfLogits() {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        return max;
    }

    @Benchmark
    public SampledToken greedy() {
        return greedy.sample(logits, history, step++);
    }

    @Benchmark
    public SampledToken temperatureTopP() {
        return topP.sample(logits, history, step++);
    }

    @Benchmark
    public SampledToken temperatureTopPLogprobs5() {
        return topPLogprobs.sample(logits, history, step++);
    }
}
