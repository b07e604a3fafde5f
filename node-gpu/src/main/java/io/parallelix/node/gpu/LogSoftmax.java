package io.parallelix.node.gpu;

/**
 * A verifier's recomputation of claimed logprobs (docs/generation.md, "Logprobs": the raw
 * log-softmax of the model's logits, before penalties and temperature), in float64 with the
 * platform's exp and log: a tolerance absorbs the last bits, so the sampler's own bit-exact
 * arithmetic is not needed here. One per choice check; not thread-safe (it reuses a mark per id).
 */
final class LogSoftmax {
    private final boolean[] claimedTop;

    LogSoftmax(int vocab) {
        this.claimedTop = new boolean[vocab];
    }

    /**
     * How far a claimed position's logprobs are from these logits: the largest absolute difference
     * of the token's logprob and of each top_logprobs entry, and by how much the best token left out
     * of the claimed top list beats the worst one in it (0 when the list really is the top). Infinite
     * when the entry is not this position's token, or the list has the wrong length, a repeated id
     * or an id outside the vocabulary.
     */
    double deviation(float[] logits, int token, TokenLogprobs claimed, int topN) {
        float max = Float.NEGATIVE_INFINITY;
        int finite = 0;
        for (float l : logits) {
            if (l > Float.NEGATIVE_INFINITY) {
                finite++;
                max = Math.max(max, l);
            }
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp((double) l - max);
        }
        double lse = max + Math.log(sum);
        if (claimed.id() != token) {
            return Double.POSITIVE_INFINITY;
        }
        double worst = Math.abs(claimed.logprob() - (logits[token] - lse));
        int expected = Math.min(topN, finite);
        if (claimed.top().size() != expected) {
            return Double.POSITIVE_INFINITY;
        }
        if (expected == 0) {
            return worst;
        }
        double floor = Double.POSITIVE_INFINITY;
        double result = worst;
        try {
            for (TokenLogprobs.Top t : claimed.top()) {
                if (t.id() < 0 || t.id() >= logits.length || claimedTop[t.id()]) {
                    result = Double.POSITIVE_INFINITY;
                    return result;
                }
                claimedTop[t.id()] = true;
                double lp = logits[t.id()] - lse;
                result = Math.max(result, Math.abs(t.logprob() - lp));
                floor = Math.min(floor, lp);
            }
            double outside = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < logits.length; i++) {
                if (!claimedTop[i]) {
                    outside = Math.max(outside, logits[i] - lse);
                }
            }
            return Math.max(result, outside - floor);
        } finally {
            for (TokenLogprobs.Top t : claimed.top()) {
                if (t.id() >= 0 && t.id() < logits.length) {
                    claimedTop[t.id()] = false;
                }
            }
        }
    }
}
