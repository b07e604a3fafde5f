package io.parallelix.node.gpu.sampling;

import java.util.ArrayList;
import java.util.List;

/**
 * Logprobs under the model's own distribution: log-softmax of the logits as the model gave them,
 * before penalties, temperature and truncation (vLLM's default "raw_logprobs"; docs/generation.md,
 * "Logprobs"). lp(i) = (l_i - L) - ln(sum over ids ascending of exp(l_j - L)), L the largest logit.
 */
final class RawLogprobs {
    private final int[] top = new int[SamplingParams.MAX_TOP_LOGPROBS];

    /** {@code max}: the largest logit. */
    SampledToken.Logprobs of(float[] logits, float max, int chosen, int topN) {
        double big = max;
        double sum = 0.0;
        for (float l : logits) {
            sum += PxMath.expw(l - big);
        }
        double lse = PxMath.lnAtLeastOne(sum);
        int found = topTokens(logits, topN);
        List<SampledToken.TokenLogprob> list = new ArrayList<>(found);
        for (int i = 0; i < found; i++) {
            list.add(new SampledToken.TokenLogprob(top[i], (logits[top[i]] - big) - lse));
        }
        return new SampledToken.Logprobs((logits[chosen] - big) - lse, list);
    }

    /** The first {@code n} finite logits in the order logit descending, id ascending, into top. */
    private int topTokens(float[] logits, int n) {
        int found = 0;
        for (int i = 0; i < logits.length && n > 0; i++) {
            float l = logits[i];
            if (l == Float.NEGATIVE_INFINITY || (found == n && l <= logits[top[n - 1]])) {
                continue;
            }
            int at = found == n ? n - 1 : found++;
            while (at > 0 && logits[top[at - 1]] < l) {
                top[at] = top[at - 1];
                at--;
            }
            top[at] = i;
        }
        return found;
    }
}
