package io.parallelix.node.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Claimed top_logprobs as OpenAI's wire carries them: token texts, no ids. Before a position's
 * logprobs are judged, each claimed alternative is given the id of the entry of this node's own
 * top list (raw logit descending, id ascending: docs/generation.md, "Logprobs") with the same
 * text, in order. A completions map keeps one entry per text and appends the sampled token when no
 * alternative has its text: that appended entry is dropped, and an alternative the map folded
 * into an earlier one of the same text gets this node's own value (nothing was claimed for it).
 * A claimed text that is not in the list is left without an id: the judgement counts it as a
 * deviation.
 */
final class ClaimedTops {
    private ClaimedTops() {}

    static TokenLogprobs resolve(TokenLogprobs claimed, float[] logits, int topN, IntFunction<String> text) {
        if (claimed.top().stream().allMatch(t -> t.id() >= 0)) {
            return claimed;
        }
        List<TokenLogprobs.Top> tops = new ArrayList<>(claimed.top());
        int[] best = best(logits, topN);
        String sampled = text.apply(claimed.id());
        boolean inBest = false;
        for (int id : best) {
            inBest |= text.apply(id).equals(sampled);
        }
        if (!inBest && !tops.isEmpty() && tops.get(tops.size() - 1).token().equals(sampled)) {
            tops.remove(tops.size() - 1); // completions' map: the sampled token after the alternatives
        }
        double lse = logSumExp(logits);
        boolean[] used = new boolean[tops.size()];
        List<TokenLogprobs.Top> out = new ArrayList<>(best.length);
        for (int id : best) {
            String t = text.apply(id);
            int k = unused(tops, used, t);
            if (k >= 0) {
                used[k] = true;
                out.add(new TokenLogprobs.Top(id, t, tops.get(k).logprob()));
            } else if (claimedText(tops, t)) {
                out.add(new TokenLogprobs.Top(id, t, logits[id] - lse)); // folded into an earlier entry
            } else {
                return claimed;
            }
        }
        for (boolean u : used) {
            if (!u) {
                return claimed;
            }
        }
        return new TokenLogprobs(claimed.id(), claimed.token(), claimed.logprob(), out);
    }

    private static int unused(List<TokenLogprobs.Top> tops, boolean[] used, String text) {
        for (int k = 0; k < tops.size(); k++) {
            if (!used[k] && tops.get(k).token().equals(text)) {
                return k;
            }
        }
        return -1;
    }

    private static boolean claimedText(List<TokenLogprobs.Top> tops, String text) {
        return tops.stream().anyMatch(t -> t.token().equals(text));
    }

    /** The n best ids, raw logit descending, id ascending (-Infinity never). */
    private static int[] best(float[] logits, int n) {
        int[] out = new int[Math.min(n, logits.length)];
        int filled = 0;
        for (int i = 0; i < logits.length; i++) {
            float l = logits[i];
            if (!(l > Float.NEGATIVE_INFINITY)) {
                continue;
            }
            int at = filled;
            while (at > 0 && logits[out[at - 1]] < l) {
                at--;
            }
            if (at >= out.length) {
                continue;
            }
            int end = Math.min(filled, out.length - 1);
            System.arraycopy(out, at, out, at + 1, end - at);
            out[at] = i;
            filled = Math.min(filled + 1, out.length);
        }
        return java.util.Arrays.copyOf(out, filled);
    }

    private static double logSumExp(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp((double) l - max);
        }
        return max + Math.log(sum);
    }
}
