package io.parallelix.node.gpu.verify;

import io.parallelix.node.gpu.TokenLogprobs;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two nodes' answers to the same generation request, without a model (pxnode verify --compare):
 * choice by choice, token ids equal up to the first divergence, finish reasons, text, and claimed
 * logprobs within the policy's logprob_abs where both carry them. Statistics: tokens, first
 * divergence, max logprob difference.
 *
 * <p>Results: "choices" (same count and indexes, in order), then per pair of choices "tokens"
 * (passes when the ids are equal; first_divergence -1), "finish", "text", and "logprobs" when both
 * carry them: over the positions before the first divergence, each token's logprob and each
 * top_logprobs id both list, at most max_deviating_positions positions further than logprob_abs
 * apart (an id in one top list only counts as a deviating position).
 */
public final class GenerationComparison {
    private GenerationComparison() {}

    public static List<CheckResult> compare(
            List<GenerationClaim.Choice> a, List<GenerationClaim.Choice> b, GenerationPolicy policy) {
        List<CheckResult> out = new ArrayList<>();
        Map<String, Object> shape = new LinkedHashMap<>();
        shape.put("a", a.size());
        shape.put("b", b.size());
        boolean same = a.size() == b.size();
        for (int i = 0; same && i < a.size(); i++) {
            same = a.get(i).index() == b.get(i).index();
        }
        if (!same) {
            out.add(CheckResult.fail("choices", "the answers carry different choices", shape));
            return out;
        }
        out.add(CheckResult.pass("choices", a.size() + " choices on both sides", shape));
        for (int i = 0; i < a.size(); i++) {
            compare(a.get(i), b.get(i), policy, out);
        }
        return out;
    }

    private static void compare(
            GenerationClaim.Choice a, GenerationClaim.Choice b, GenerationPolicy policy, List<CheckResult> out) {
        int[] ta = a.tokenIds();
        int[] tb = b.tokenIds();
        int divergence = Arrays.mismatch(ta, tb);
        Map<String, Object> tokens = stats(a.index());
        tokens.put("tokens_a", ta.length);
        tokens.put("tokens_b", tb.length);
        tokens.put("first_divergence", divergence);
        out.add(
                divergence < 0
                        ? CheckResult.pass("tokens", ta.length + " equal token ids", tokens)
                        : CheckResult.fail("tokens", "the token ids diverge at position " + divergence, tokens));
        Map<String, Object> finish = stats(a.index());
        finish.put("a", a.finish().wireName());
        finish.put("b", b.finish().wireName());
        out.add(
                a.finish() == b.finish()
                        ? CheckResult.pass("finish", "both '" + a.finish().wireName() + "'", finish)
                        : CheckResult.fail("finish", "the finish reasons differ", finish));
        Map<String, Object> text = stats(a.index());
        text.put("chars_a", a.text().length());
        text.put("chars_b", b.text().length());
        out.add(
                a.text().equals(b.text())
                        ? CheckResult.pass("text", "equal text", text)
                        : CheckResult.fail("text", "the texts differ", text));
        List<TokenLogprobs> la = a.logprobs();
        List<TokenLogprobs> lb = b.logprobs();
        if (la != null && lb != null) {
            out.add(logprobs(a.index(), la, lb, divergence < 0 ? ta.length : divergence, policy));
        }
    }

    private static CheckResult logprobs(
            int choice, List<TokenLogprobs> a, List<TokenLogprobs> b, int common, GenerationPolicy policy) {
        int positions = Math.min(common, Math.min(a.size(), b.size()));
        int deviating = 0;
        int first = -1;
        double max = 0;
        int worstAt = -1;
        for (int p = 0; p < positions; p++) {
            double d = difference(a.get(p), b.get(p));
            if (d > max || worstAt < 0) {
                max = d;
                worstAt = p;
            }
            if (!(d <= policy.logprobAbs()) && deviating++ == 0) {
                first = p;
            }
        }
        Map<String, Object> stats = stats(choice);
        stats.put("positions", positions);
        stats.put("deviating", deviating);
        stats.put("allowed", policy.maxDeviatingPositions());
        stats.put("first_deviating", first);
        stats.put("max_logprob_diff", Double.isFinite(max) ? (Object) max : (Object) Double.toString(max));
        stats.put("max_logprob_diff_position", worstAt);
        if (deviating <= policy.maxDeviatingPositions()) {
            return CheckResult.pass("logprobs", "logprobs within " + policy.logprobAbs(), stats);
        }
        return CheckResult.fail(
                "logprobs", "the logprobs differ by more than " + policy.logprobAbs() + " at position " + first, stats);
    }

    /** The largest difference at one position; infinite when the tokens or the top ids differ. */
    private static double difference(TokenLogprobs a, TokenLogprobs b) {
        if (a.id() != b.id() || a.top().size() != b.top().size()) {
            return Double.POSITIVE_INFINITY;
        }
        double d = Math.abs(a.logprob() - b.logprob());
        Map<Integer, Double> top = new HashMap<>();
        a.top().forEach(t -> top.put(t.id(), t.logprob()));
        for (TokenLogprobs.Top t : b.top()) {
            Double other = top.get(t.id());
            if (other == null) {
                return Double.POSITIVE_INFINITY;
            }
            d = Math.max(d, Math.abs(other - t.logprob()));
        }
        return d;
    }

    private static Map<String, Object> stats(int choice) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("choice", choice);
        return stats;
    }
}
