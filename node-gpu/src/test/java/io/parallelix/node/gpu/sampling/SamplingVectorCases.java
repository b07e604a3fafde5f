package io.parallelix.node.gpu.sampling;

import io.parallelix.node.gpu.sampling.VectorLogits.Hashed;
import io.parallelix.node.gpu.sampling.VectorLogits.Hashed.Peak;
import io.parallelix.node.gpu.sampling.VectorLogits.Listed;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** The inputs of docs/test-vectors/sampling-v1.json: what each vector is there to pin down. */
final class SamplingVectorCases {
    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    /** Two maxima (ids 2 and 4). */
    static final VectorLogits A = Listed.of(1.5f, -0.25f, 3.0f, 0.5f, 3.0f, -2.0f, 2.75f, 0.0f);
    /** One maximum (id 3), a tie at 3.5 (ids 4 and 7), negatives. */
    static final VectorLogits B = Listed.of(
            2.0f, 1.0f, 0.5f, 4.0f, 3.5f, -1.0f, 0.0f, 3.5f, 1.25f, -3.0f, 2.5f, 0.75f, -0.5f, 1.75f, 3.0f, -2.5f);
    /** Logits that are not short binary fractions, as real models give. */
    static final VectorLogits C = Listed.of(0.1f, 0.2f, 0.3f, 1.7f, -0.7f, 2.3f, 1.1f, 0.9f, -1.3f, 0.6f);

    static final VectorLogits FLAT = Listed.of(0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f);
    static final VectorLogits MASKED = Listed.of(NEG_INF, NEG_INF, 0.5f, NEG_INF, 0.25f, NEG_INF);
    /** Token 0 plays end-of-sequence: to the sampler it is a token like any other. */
    static final VectorLogits EOS_FIRST = Listed.of(5.0f, 4.5f, 1.0f, 4.875f, -1.0f, 2.0f);

    static final VectorLogits V32K =
            new Hashed(32_000, 2_654_435_761L, 12_345, -20, List.of(new Peak(17, 9.5f), new Peak(4242, 10.0f)));
    static final VectorLogits V152K = new Hashed(
            151_936,
            2_246_822_519L,
            7,
            -21,
            List.of(new Peak(151_935, 12.0f), new Peak(0, 11.5f), new Peak(100_000, 11.75f), new Peak(64, 9.0f)));

    private SamplingVectorCases() {}

    static List<VectorCase> all() {
        List<VectorCase> all = new ArrayList<>();
        SamplingParams greedy = SamplingParams.defaults(0).withTemperature(0);
        SamplingParams t1 = SamplingParams.defaults(42);

        all.add(one("greedy-single-max", "argmax", B, greedy));
        all.add(one("greedy-tie-lowest-id", "two equal maxima: the lower id wins", A, greedy));
        all.add(of(
                "greedy-tie-made-by-presence",
                "a penalty makes a tie: the lower id wins",
                Listed.of(1.0f, 3.0f, 2.0f),
                List.of(),
                List.of(1),
                greedy.withPenalties(1.0, 0.0, 1.0),
                0,
                1));
        all.add(one("greedy-masked", "-Infinity logits are never chosen", MASKED, greedy));
        all.add(one("greedy-seed-irrelevant", "temperature 0 ignores the seed", B, greedy.withTruncation(0, 1, 0)));
        all.add(one("greedy-logprobs", "logprobs and top 5 with greedy", B, greedy.withLogprobs(5)));

        for (int step = 0; step < 4; step++) {
            all.add(of("t1-step-" + step, "temperature 1, successive steps", B, List.of(), List.of(), t1, 0, step));
        }
        for (int choice = 1; choice < 4; choice++) {
            all.add(of("t1-choice-" + choice, "temperature 1, choices of n", B, List.of(), List.of(), t1, choice, 0));
        }
        long[] seeds = {0, Long.MAX_VALUE, -1, Long.MIN_VALUE, 1_234_567_890_123L};
        for (long seed : seeds) {
            all.add(one(
                    "seed-" + seed,
                    "seed as a two's complement key",
                    B,
                    t1.withTemperature(0.8).withSeed(seed)));
        }
        all.add(one("t1-top-p-1", "top_p 1 is the identity: same as t1-step-0", B, t1.withTruncation(0, 1.0, 0)));
        for (long seed = 1; seed <= 3; seed++) {
            all.add(one(
                    "t-low-" + seed,
                    "temperature 0.05",
                    B,
                    t1.withTemperature(0.05).withSeed(seed)));
            all.add(one(
                    "t-tiny-tie-" + seed,
                    "temperature 1e-6: only the tied maxima",
                    A,
                    t1.withTemperature(1e-6).withSeed(seed)));
            all.add(one(
                    "t-max-" + seed, "temperature 2", B, t1.withTemperature(2.0).withSeed(seed)));
            all.add(one(
                    "top-k-1-" + seed,
                    "top_k 1 is the argmax",
                    B,
                    t1.withTruncation(1, 1, 0).withSeed(seed)));
            all.add(one(
                    "top-k-1-tie-" + seed,
                    "top_k 1 among tied maxima keeps the lower id",
                    A,
                    t1.withTruncation(1, 1, 0).withSeed(seed)));
            all.add(one(
                    "top-k-2-tie-cut-" + seed,
                    "top_k 2 cuts a tie by id: 3, 4 kept, 7 not",
                    B,
                    t1.withTruncation(2, 1, 0).withSeed(seed)));
            all.add(one(
                    "top-p-tie-boundary-" + seed,
                    "top_p 0.25 on 10 equal weights keeps ids 0-2",
                    FLAT,
                    t1.withTruncation(0, 0.25, 0).withSeed(seed)));
            all.add(one("flat-" + seed, "equal logits: a uniform draw", FLAT, t1.withSeed(seed)));
        }
        all.add(one("top-k-3", "top_k alone", B, t1.withTruncation(3, 1, 0).withSeed(5)));
        all.add(one("top-k-above-vocab", "top_k larger than the vocabulary", B, t1.withTruncation(100, 1, 0)));
        all.add(one("top-p-0.5", "top_p alone", B, t1.withTruncation(0, 0.5, 0).withSeed(6)));
        all.add(one("top-p-0.9", "top_p alone", B, t1.withTruncation(0, 0.9, 0).withSeed(7)));
        all.add(one(
                "top-p-tiny",
                "top_p 1e-9 keeps one candidate",
                B,
                t1.withTruncation(0, 1e-9, 0).withSeed(8)));
        all.add(one("min-p-0.1", "min_p alone", B, t1.withTruncation(0, 1, 0.1).withSeed(9)));
        all.add(one("min-p-0.5", "min_p alone", B, t1.withTruncation(0, 1, 0.5).withSeed(10)));
        all.add(one(
                "min-p-1",
                "min_p 1 keeps the maxima only",
                A,
                t1.withTruncation(0, 1, 1.0).withSeed(11)));
        all.add(one(
                "combined",
                "temperature, top_k, top_p, min_p",
                B,
                t1.withTemperature(0.7).withTruncation(8, 0.9, 0.05).withSeed(12)));
        all.add(one(
                "combined-decimal-logits",
                "non-dyadic logits, temperature 0.9, top_p 0.8, logprobs",
                C,
                t1.withTemperature(0.9)
                        .withTruncation(0, 0.8, 0)
                        .withLogprobs(3)
                        .withSeed(13)));

        all.add(of(
                "repetition-1.3",
                "positive logits divided, negative multiplied; prompt and output",
                B,
                List.of(3, 5, 9),
                List.of(3),
                greedy.withPenalties(1.3, 0, 0),
                0,
                1));
        all.add(of(
                "repetition-0.5",
                "a penalty below 1 raises: id 0 ties id 3 at 4.0",
                B,
                List.of(0, 9),
                List.of(),
                greedy.withPenalties(0.5, 0, 0),
                0,
                0));
        all.add(of(
                "frequency-repeated",
                "count 3 and 1; prompt tokens are not counted",
                B,
                List.of(7, 7),
                List.of(3, 3, 3, 4),
                greedy.withPenalties(1, 0.5, 0),
                0,
                4));
        all.add(of(
                "presence-repeated",
                "presence once per token however often",
                B,
                List.of(),
                List.of(3, 3, 7),
                greedy.withPenalties(1, 0, 0.6),
                0,
                3));
        all.add(of(
                "negative-penalties",
                "negative frequency and presence raise",
                B,
                List.of(),
                List.of(9, 9),
                greedy.withPenalties(1, -2.0, -1.5),
                0,
                2));
        all.add(of(
                "penalties-sampled",
                "all penalties, then temperature and top_p",
                B,
                List.of(1, 2, 3),
                List.of(3, 4, 4, 10),
                t1.withPenalties(1.2, 0.3, 0.4).withTruncation(0, 0.95, 0),
                2,
                4));

        all.add(one("eos-is-a-token", "the sampler knows no stop tokens: EOS (id 0) is the argmax", EOS_FIRST, greedy));
        all.add(of(
                "eos-penalised-like-any",
                "EOS in the history is penalised like any token",
                EOS_FIRST,
                List.of(),
                List.of(0),
                t1.withPenalties(1, 0, 1.0).withSeed(14),
                0,
                1));

        all.add(one(
                "logprobs-masked",
                "-Infinity tokens are not listed in top_logprobs",
                MASKED,
                t1.withLogprobs(5).withSeed(15)));
        all.add(one("logprobs-one-token", "a vocabulary of one: logprob 0", Listed.of(0.5f), t1.withLogprobs(1)));

        all.add(one("v32k-greedy", "32,000 tokens", V32K, greedy.withLogprobs(20)));
        all.add(one(
                "v32k-top-p",
                "32,000 tokens, top_p 0.9",
                V32K,
                t1.withTruncation(0, 0.9, 0).withSeed(16)));
        all.add(one(
                "v152k-top-p",
                "151,936 tokens, temperature 0.7, top_p 0.95, top 20",
                V152K,
                t1.withTemperature(0.7)
                        .withTruncation(0, 0.95, 0)
                        .withLogprobs(20)
                        .withSeed(17)));
        all.add(one("v152k-t1", "151,936 tokens, temperature 1 alone", V152K, t1.withSeed(18)));
        all.add(one(
                "v152k-top-k-min-p",
                "151,936 tokens, top_k 50, min_p 0.05",
                V152K,
                t1.withTruncation(50, 1, 0.05).withSeed(19)));
        List<Integer> prompt =
                IntStream.range(0, 200).map(i -> (i * 7919) % 151_936).boxed().toList();
        List<Integer> output = new ArrayList<>(List.of(151_935, 151_935, 0, 100_000));
        IntStream.range(0, 96).forEach(i -> output.add((i % 30) * 4099));
        all.add(of(
                "v152k-penalties",
                "151,936 tokens, 300 history tokens with repeats, all penalties",
                V152K,
                prompt,
                output,
                t1.withPenalties(1.1, 0.2, 0.3).withTruncation(40, 0.9, 0).withSeed(20),
                1,
                100));
        return all;
    }

    private static VectorCase one(String name, String covers, VectorLogits logits, SamplingParams params) {
        return of(name, covers, logits, List.of(), List.of(), params, 0, 0);
    }

    private static VectorCase of(
            String name,
            String covers,
            VectorLogits logits,
            List<Integer> prompt,
            List<Integer> generated,
            SamplingParams params,
            int choice,
            int step) {
        return new VectorCase(name, covers, logits, prompt, generated, params, choice, step);
    }
}
