package io.parallelix.node.gpu.sampling;

/**
 * Chooses one sequence's tokens, step by step, by docs/generation.md: penalties, then greedy argmax
 * (temperature 0) or temperature, top-k, top-p, min-p and an inverse-CDF draw from the
 * Philox(seed, choice, step) uniform. The same logits, history, parameters, choice and step give the
 * same token on any thread, machine or implementation of the spec.
 *
 * <p>One per sequence (choice) and not thread-safe: it owns the buffers a step needs (16 bytes per
 * vocabulary entry), so a step allocates nothing but its answer.
 */
public final class Sampler {
    /** expw(x) &lt; 2^-42 below this, so the weight is 0 and exp need not run (docs/generation.md). */
    static final double WEIGHT_CUTOFF = -32.0;

    private final int vocabSize;
    private final SamplingParams params;
    private final int choice;
    private final double[] z;
    private final long[] keys;
    private final Candidates candidates = new Candidates();
    private final RawLogprobs logprobs = new RawLogprobs();
    // the last draw, for the test vectors' intermediate values
    int lastKept;
    long lastTotal;
    long lastTarget;

    public Sampler(int vocabSize, SamplingParams params, int choiceIndex) {
        if (vocabSize < 1 || vocabSize > Candidates.MAX_VOCAB) {
            throw new IllegalArgumentException(
                    "vocabulary size must be between 1 and " + Candidates.MAX_VOCAB + ", got " + vocabSize);
        }
        if (choiceIndex < 0) {
            throw new IllegalArgumentException("choice index must be >= 0, got " + choiceIndex);
        }
        this.vocabSize = vocabSize;
        this.params = params;
        this.choice = choiceIndex;
        this.z = new double[vocabSize];
        this.keys = params.greedy() ? new long[0] : new long[vocabSize];
    }

    /**
     * The token for generation step {@code step} (0 for the first generated token of this choice),
     * given the model's logits for it and the sequence's history so far.
     */
    public SampledToken sample(float[] logits, TokenHistory history, int step) {
        checkInputs(logits, history, step);
        int best = load(logits);
        float rawMax = logits[best];
        if (Penalties.active(params)) {
            Penalties.apply(z, history, params);
            best = argmax();
        }
        int token = params.greedy() ? best : draw(keep(z[best]), step);
        if (!params.logprobs()) {
            return new SampledToken(token, null);
        }
        return new SampledToken(token, logprobs.of(logits, rawMax, token, params.topLogprobs()));
    }

    private void checkInputs(float[] logits, TokenHistory history, int step) {
        if (logits.length != vocabSize) {
            throw new IllegalArgumentException(
                    "logits have " + logits.length + " entries, the vocabulary " + vocabSize);
        }
        if (history.vocabSize() != vocabSize) {
            throw new IllegalArgumentException(
                    "the history is for a vocabulary of " + history.vocabSize() + ", not " + vocabSize);
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
    }

    /**
     * How this step would judge a claimed {@code token} (a verifier's teacher-forced check,
     * docs/verification.md): the token this sampler draws here, the claimed token's penalised logit
     * below the largest, and its probability under these parameters (temperature, top-k, top-p and
     * min-p truncation: 0 outside the kept set; greedy: 1 for the argmax, else 0). Same buffers
     * and arithmetic as {@link #sample}, so an honest node's logits reproduce its draw.
     */
    public SampleCheck judge(float[] logits, TokenHistory history, int step, int token) {
        if (token < 0 || token >= vocabSize) {
            throw new IllegalArgumentException("token " + token + " is outside the vocabulary [0, " + vocabSize + ")");
        }
        int best = penalised(logits, history, step);
        double gap = z[best] - z[token];
        if (params.greedy()) {
            return new SampleCheck(best, gap, best == token ? 1.0 : 0.0);
        }
        int n = keep(z[best]);
        long total = Candidates.totalWeight(keys, n);
        long weight = 0;
        for (int i = 0; i < n; i++) {
            if (Candidates.token(keys[i]) == token) {
                weight = Candidates.weight(keys[i]);
                break;
            }
        }
        return new SampleCheck(draw(n, step), gap, (double) weight / (double) total);
    }

    /** Loads the logits and applies the penalties; returns the first of the largest penalised logits. */
    private int penalised(float[] logits, TokenHistory history, int step) {
        checkInputs(logits, history, step);
        int best = load(logits);
        if (Penalties.active(params)) {
            Penalties.apply(z, history, params);
            best = argmax();
        }
        return best;
    }

    /** Copies the logits into z as doubles, checks them, and returns the first of the largest. */
    private int load(float[] logits) {
        int best = 0;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocabSize; i++) {
            float l = logits[i];
            if (!(l < Float.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException(
                        "logits[" + i + "] is " + l + ": logits must be finite or -Infinity");
            }
            if (l > max) {
                max = l;
                best = i;
            }
            z[i] = l;
        }
        if (max == Float.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("every logit is -Infinity: no token can be chosen");
        }
        return best;
    }

    /** The first (lowest id) of the largest penalised logits. */
    private int argmax() {
        int best = 0;
        double max = z[0];
        for (int i = 1; i < vocabSize; i++) {
            if (z[i] > max) {
                max = z[i];
                best = i;
            }
        }
        return best;
    }

    /**
     * A cheap first test: a z below this has weight 0 (x &lt; -32.5 whatever the rounding, while
     * weights vanish below -29.2), so neither the division nor expw need run for it.
     */
    static double farBelow(double max, double t) {
        return max - 32.5 * t;
    }

    /** Fills keys with the candidates that survive temperature, top-k, top-p and min-p; their count. */
    private int keep(double max) {
        double t = params.temperature();
        double far = farBelow(max, t);
        int n = 0;
        for (int i = 0; i < vocabSize; i++) {
            if (z[i] >= far) {
                double x = (z[i] - max) / t;
                if (x >= WEIGHT_CUTOFF) {
                    long w = (long) (PxMath.expw(x) * 0x1p42);
                    if (w > 0) {
                        keys[n++] = Candidates.key(w, i);
                    }
                }
            }
        }
        if (params.topK() > 0 && params.topK() < n) {
            n = candidates.prefix(keys, n, params.topK(), true);
        }
        if (params.topP() < 1.0) {
            long need = PxMath.ceilMul(params.topP(), Candidates.totalWeight(keys, n));
            n = candidates.prefix(keys, n, need, false);
        }
        if (params.minP() > 0.0) {
            // the first candidate, the argmax, always survives top-k and top-p with weight 2^42
            long floor = PxMath.ceilMul(params.minP(), Candidates.WEIGHT_ONE);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (Candidates.weight(keys[i]) >= floor) {
                    keys[kept++] = keys[i];
                }
            }
            n = kept;
        }
        return n;
    }

    /** The inverse-CDF draw among keys[0, n) with the Philox uniform of this step. */
    private int draw(int n, int step) {
        long total = Candidates.totalWeight(keys, n);
        long u = Philox.uniform53(params.seed(), choice, step);
        long target = Math.unsignedMultiplyHigh(u << 11, total);
        int j = candidates.prefix(keys, n, target + 1, false);
        lastKept = n;
        lastTotal = total;
        lastTarget = target;
        return Candidates.token(keys[j - 1]);
    }
}
