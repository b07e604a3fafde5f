package io.parallelix.node.gpu.sampling;

import java.util.List;

/** One sampling test vector's inputs; the generator adds what the Java sampler answers. */
record VectorCase(
        String name,
        String covers,
        VectorLogits logits,
        List<Integer> prompt,
        List<Integer> generated,
        SamplingParams params,
        int choice,
        int step) {

    /** The sampler's answer and, for a draw, its intermediate values. */
    record Outcome(SampledToken sampled, int kept, long totalWeight, long target) {}

    Outcome run() {
        float[] values = logits.values();
        TokenHistory history = new TokenHistory(values.length, ints(prompt), generated.size());
        generated.forEach(history::append);
        Sampler sampler = new Sampler(values.length, params, choice);
        SampledToken sampled = sampler.sample(values, history, step);
        return new Outcome(sampled, sampler.lastKept, sampler.lastTotal, sampler.lastTarget);
    }

    static int[] ints(List<Integer> list) {
        return list.stream().mapToInt(Integer::intValue).toArray();
    }
}
