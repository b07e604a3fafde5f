package io.parallelix.node.gpu;

import ai.onnxruntime.OrtException;
import io.parallelix.node.gpu.sampling.SampleCheck;
import io.parallelix.node.gpu.sampling.Sampler;
import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.gpu.sampling.TokenHistory;
import io.parallelix.node.gpu.verify.CheckResult;
import io.parallelix.node.gpu.verify.GenerationClaim;
import io.parallelix.node.gpu.verify.GenerationPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One claimed choice against this node's teacher-forced logits (docs/verification.md,
 * "Generations"): "tokens" (each claimed token by the request's sampler), "logprobs" (when claimed),
 * "finish" and "text" (a replay through {@link ChoiceText}, as the decode loop ends and detokenizes
 * a choice). A position deviates when greedy: its penalised logit is more than tie_logit_gap below
 * the largest; sampled: the sampler with the claimed seed, choice and step draws another token (and
 * it is improbable, failing outright, when its probability under the request's sampling is below
 * min_sampled_probability); logprobs: a claimed value further than logprob_abs from the
 * recomputed one. A check passes with at most max_deviating_positions deviating positions.
 */
final class ChoiceCheck {
    private final Generator generator;
    private final GenerationClaim claim;
    private final GenerationPolicy policy;
    private final int[] prompt;
    private final int limit;
    private final GenerationClaim.Choice choice;
    private final int[] tokens;
    private final int vocab;

    private final Stats tokenStats = new Stats();
    private final Stats logprobStats = new Stats();
    private int improbable;
    private int reproduced;
    private double worstGap = 0;
    private int worstGapPosition = -1;
    private double minProbability = 1;
    private int minProbabilityPosition = -1;
    private double lastGap;
    private boolean lastDeviates;
    private long workNanos;

    ChoiceCheck(
            Generator generator,
            GenerationClaim claim,
            GenerationPolicy policy,
            int[] prompt,
            int limit,
            GenerationClaim.Choice choice) {
        this.generator = generator;
        this.claim = claim;
        this.policy = policy;
        this.prompt = prompt;
        this.limit = limit;
        this.choice = choice;
        this.tokens = choice.tokenIds().clone();
        this.vocab = Math.toIntExact(generator.layout().vocab());
    }

    /** Deviating positions of one check: how many, the first, and the worst figure seen. */
    private static final class Stats {
        int deviating;
        int first = -1;
        double worst;
        int worstAt = -1;

        void deviates(int position) {
            if (deviating++ == 0) {
                first = position;
            }
        }

        void figure(double value, int position) {
            if (value > worst || worstAt < 0) {
                worst = value;
                worstAt = position;
            }
        }
    }

    /** The teacher-forced pass's time (its runs and the per-position judging); 0 before run or when it did not run. */
    long workNanos() {
        return workNanos;
    }

    List<CheckResult> run(DecodeRun run, int chunk) throws OrtException, InferenceException {
        String shape = shapeProblem();
        if (shape != null) {
            Map<String, Object> stats = base();
            stats.put("positions", tokens.length);
            stats.put("limit", limit);
            return List.of(CheckResult.fail("tokens", shape, stats));
        }
        List<TokenLogprobs> claimedLogprobs = choice.logprobs();
        int[] sequence = new int[prompt.length + tokens.length - 1];
        System.arraycopy(prompt, 0, sequence, 0, prompt.length);
        System.arraycopy(tokens, 0, sequence, prompt.length, tokens.length - 1);
        SamplingParams sampling = claim.sampling();
        Sampler sampler = new Sampler(vocab, sampling, choice.index());
        TokenHistory history = new TokenHistory(vocab, prompt, tokens.length);
        LogSoftmax softmax = new LogSoftmax(vocab);
        long t0 = System.nanoTime();
        run.teacherForce(sequence, prompt.length - 1, chunk, claim.deadline(), (position, logits) -> {
            int step = position - (prompt.length - 1);
            judge(step, sampler.judge(logits, history, step, tokens[step]));
            if (claimedLogprobs != null) {
                double diff = softmax.deviation(
                        logits,
                        tokens[step],
                        ClaimedTops.resolve(
                                claimedLogprobs.get(step), logits, sampling.topLogprobs(), generator::tokenText),
                        sampling.topLogprobs());
                logprobStats.figure(diff, step);
                if (!(diff <= policy.logprobAbs())) {
                    logprobStats.deviates(step);
                }
            }
            history.append(tokens[step]);
        });
        workNanos = System.nanoTime() - t0;
        List<CheckResult> out = new ArrayList<>();
        out.add(tokensResult());
        if (claimedLogprobs != null) {
            out.add(logprobsResult());
        }
        out.addAll(replay());
        return out;
    }

    /** Why the claim cannot be this request's answer at all, before any run; null when it could be. */
    private @Nullable String shapeProblem() {
        if (tokens.length == 0) {
            return "the choice claims no tokens; every generated choice ends on a token";
        }
        if (tokens.length > limit) {
            return "the choice claims " + tokens.length + " tokens; this request allows at most " + limit
                    + " (max_tokens " + claim.maxTokens() + ", context "
                    + generator.info().contextLength()
                    + ", prompt " + prompt.length + ")";
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab) {
                return "token " + i + " is " + tokens[i] + ", outside the vocabulary [0, " + vocab + ")";
            }
        }
        List<TokenLogprobs> lp = choice.logprobs();
        if (lp != null && lp.size() != tokens.length) {
            return "the choice claims " + lp.size() + " logprobs for " + tokens.length + " tokens";
        }
        return null;
    }

    private void judge(int step, SampleCheck c) {
        boolean greedy = claim.sampling().greedy();
        if (c.logitGap() > worstGap || worstGapPosition < 0) {
            worstGap = c.logitGap();
            worstGapPosition = step;
        }
        boolean deviates;
        if (greedy) {
            deviates = !(c.logitGap() <= policy.tieLogitGap());
        } else {
            if (c.probability() < minProbability || minProbabilityPosition < 0) {
                minProbability = c.probability();
                minProbabilityPosition = step;
            }
            deviates = c.reproduced() != tokens[step];
            if (deviates && !(c.probability() >= policy.minSampledProbability())) {
                improbable++;
            }
        }
        if (c.reproduced() == tokens[step]) {
            reproduced++;
        }
        if (deviates) {
            tokenStats.deviates(step);
        }
        lastGap = c.logitGap();
        lastDeviates = deviates;
    }

    private Map<String, Object> base() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("choice", choice.index());
        return stats;
    }

    private CheckResult tokensResult() {
        boolean greedy = claim.sampling().greedy();
        Map<String, Object> stats = base();
        stats.put("sampling", greedy ? "greedy" : "sampled");
        stats.put("positions", tokens.length);
        stats.put("reproduced", reproduced);
        stats.put("deviating", tokenStats.deviating);
        stats.put("allowed", policy.maxDeviatingPositions());
        stats.put("first_deviating", tokenStats.first);
        stats.put("worst_logit_gap", number(worstGap));
        stats.put("worst_logit_gap_position", worstGapPosition);
        if (!greedy) {
            stats.put("improbable", improbable);
            stats.put("min_probability", minProbability);
            stats.put("min_probability_position", minProbabilityPosition);
        }
        boolean passed = improbable == 0 && tokenStats.deviating <= policy.maxDeviatingPositions();
        if (passed) {
            return CheckResult.pass("tokens", tokens.length + " claimed tokens follow from the logits", stats);
        }
        String why = greedy
                ? "token " + tokenStats.first + " is " + tokens[tokenStats.first] + ", whose logit is more than "
                        + policy.tieLogitGap() + " below the largest"
                : improbable > 0
                        ? improbable + " claimed token(s) have a probability below " + policy.minSampledProbability()
                                + " under the request's sampling; first deviating position " + tokenStats.first
                        : "the sampler with the claimed seed draws another token at position " + tokenStats.first;
        return CheckResult.fail(
                "tokens",
                why + " (" + tokenStats.deviating + " deviating positions, at most " + policy.maxDeviatingPositions()
                        + " allowed)",
                stats);
    }

    private CheckResult logprobsResult() {
        Map<String, Object> stats = base();
        stats.put("positions", tokens.length);
        stats.put("deviating", logprobStats.deviating);
        stats.put("allowed", policy.maxDeviatingPositions());
        stats.put("first_deviating", logprobStats.first);
        stats.put("max_logprob_diff", number(logprobStats.worst));
        stats.put("max_logprob_diff_position", logprobStats.worstAt);
        if (logprobStats.deviating <= policy.maxDeviatingPositions()) {
            return CheckResult.pass("logprobs", "claimed logprobs within " + policy.logprobAbs(), stats);
        }
        return CheckResult.fail(
                "logprobs",
                "the claimed logprobs of position " + logprobStats.first + " are more than " + policy.logprobAbs()
                        + " from the recomputed ones, or not its token and top_logprobs ("
                        + logprobStats.deviating + " deviating positions)",
                stats);
    }

    /** "finish" and "text": the claimed tokens replayed as the decode loop ends and detokenizes a choice. */
    private List<CheckResult> replay() {
        ChoiceText text = generator.text(prompt, claim.stop());
        StringBuilder all = new StringBuilder();
        @Nullable FinishReason replayed = null;
        int endedAt = -1;
        for (int i = 0; i < tokens.length && replayed == null; i++) {
            ChoiceText.Piece piece = text.next(tokens[i], i + 1 == limit);
            all.append(piece.text());
            replayed = piece.finish();
            endedAt = replayed == null ? -1 : i;
        }
        int last = tokens[tokens.length - 1];
        boolean eos = generator.isEos(last);
        String endedBy = replayed == null
                ? "none"
                : replayed == FinishReason.LENGTH
                        ? "length"
                        : eos && endedAt == tokens.length - 1 ? "eos" : "stop_string";
        Map<String, Object> stats = base();
        stats.put("claimed", choice.finish().wireName());
        stats.put("replayed", replayed == null ? "none" : replayed.wireName());
        stats.put("ended_by", endedBy);
        stats.put("ended_at", endedAt);
        stats.put("tokens", tokens.length);
        stats.put("limit", limit);
        if (eos) {
            stats.put("eos_logit_gap", number(lastGap));
        }
        CheckResult finish;
        if (endedAt >= 0 && endedAt < tokens.length - 1) {
            finish = CheckResult.fail(
                    "finish",
                    "the choice ends at token " + endedAt + " (" + endedBy + ") but claims " + tokens.length
                            + " tokens",
                    stats);
        } else if (replayed == null) {
            finish = CheckResult.fail(
                    "finish",
                    "after " + tokens.length + " tokens nothing ends the choice: no end-of-sequence id, no stop"
                            + " string, and max_tokens / the context (" + limit + " tokens) not reached",
                    stats);
        } else if (replayed != choice.finish()) {
            finish = CheckResult.fail(
                    "finish",
                    "the choice claims finish '" + choice.finish().wireName() + "'; its tokens end it with '"
                            + replayed.wireName() + "' (" + endedBy + ")",
                    stats);
        } else if (endedBy.equals("eos") && lastDeviates) {
            finish = CheckResult.fail(
                    "finish", "the final end-of-sequence id does not follow from the logits (see tokens)", stats);
        } else {
            finish = CheckResult.pass("finish", "'" + replayed.wireName() + "' by " + endedBy, stats);
        }
        return List.of(finish, textResult(all.toString()));
    }

    private CheckResult textResult(String mine) {
        String claimed = choice.text();
        Map<String, Object> stats = base();
        stats.put("claimed_chars", claimed.length());
        stats.put("replayed_chars", mine.length());
        int first = firstDifference(mine, claimed);
        stats.put("first_difference", first);
        if (first < 0) {
            return CheckResult.pass("text", "the claimed tokens detokenize to the claimed text", stats);
        }
        return CheckResult.fail("text", "the claimed text differs from its tokens' text at character " + first, stats);
    }

    private static int firstDifference(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            if (a.charAt(i) != b.charAt(i)) {
                return i;
            }
        }
        return a.length() == b.length() ? -1 : n;
    }

    /** Statistics are JSON numbers: an infinite gap (a -Infinity logit) is written as a string. */
    static Object number(double v) {
        return Double.isFinite(v) ? (Object) v : (Object) Double.toString(v);
    }
}
