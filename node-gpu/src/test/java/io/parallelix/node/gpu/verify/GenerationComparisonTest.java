package io.parallelix.node.gpu.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.FinishReason;
import io.parallelix.node.gpu.TokenLogprobs;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenerationComparisonTest {
    private static final GenerationPolicy POLICY = GenerationPolicy.defaults();

    private static TokenLogprobs lp(int id, double logprob, int topId, double topLogprob) {
        return new TokenLogprobs(id, "t", logprob, List.of(new TokenLogprobs.Top(topId, "u", topLogprob)));
    }

    private static GenerationClaim.Choice choice(int[] ids, String text, FinishReason finish, List<TokenLogprobs> lps) {
        return new GenerationClaim.Choice(0, ids, text, finish, lps);
    }

    private static CheckResult named(List<CheckResult> results, String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void compare_equalAnswers_passEveryCheck_withLogprobsWithinTolerance() {
        var a = choice(
                new int[] {1, 2, 3},
                "abc",
                FinishReason.LENGTH,
                List.of(lp(1, -1, 1, -1), lp(2, -2, 2, -2), lp(3, -3, 3, -3)));
        var b = choice(
                new int[] {1, 2, 3},
                "abc",
                FinishReason.LENGTH,
                List.of(lp(1, -1.0001, 1, -1.0001), lp(2, -2, 2, -2), lp(3, -3, 3, -3)));
        List<CheckResult> r = GenerationComparison.compare(List.of(a), List.of(b), POLICY);
        assertThat(r).extracting(CheckResult::name).containsExactly("choices", "tokens", "finish", "text", "logprobs");
        assertThat(r).allMatch(CheckResult::passed);
        assertThat((Double) named(r, "logprobs").statistics().get("max_logprob_diff"))
                .isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(named(r, "tokens").statistics()).containsEntry("first_divergence", -1);
    }

    @Test
    void compare_divergingAnswers_reportTheFirstDivergence_andCompareLogprobsBeforeIt() {
        var a = choice(
                new int[] {1, 2, 3, 4},
                "abcd",
                FinishReason.LENGTH,
                List.of(lp(1, -1, 1, -1), lp(2, -2, 2, -2), lp(3, -1, 3, -1), lp(4, -1, 4, -1)));
        var b = choice(
                new int[] {1, 2, 9},
                "ab",
                FinishReason.STOP,
                List.of(lp(1, -1, 1, -1), lp(2, -2.5, 2, -2.5), lp(9, -1, 9, -1)));
        List<CheckResult> r = GenerationComparison.compare(List.of(a), List.of(b), POLICY);
        assertThat(named(r, "tokens").passed()).isFalse();
        assertThat(named(r, "tokens").statistics()).containsEntry("first_divergence", 2);
        assertThat(named(r, "finish").passed()).isFalse();
        assertThat(named(r, "text").passed()).isFalse();
        CheckResult logprobs = named(r, "logprobs");
        assertThat(logprobs.passed()).isFalse();
        assertThat(logprobs.statistics()).containsEntry("positions", 2).containsEntry("first_deviating", 1);
    }

    @Test
    void compare_topLogprobsOfOtherTokens_deviate() {
        var a = choice(new int[] {1}, "a", FinishReason.LENGTH, List.of(lp(1, -1, 1, -1)));
        var b = choice(new int[] {1}, "a", FinishReason.LENGTH, List.of(lp(1, -1, 7, -1)));
        CheckResult logprobs = named(GenerationComparison.compare(List.of(a), List.of(b), POLICY), "logprobs");
        assertThat(logprobs.passed()).isFalse();
        assertThat(logprobs.statistics()).containsEntry("max_logprob_diff", "Infinity");
    }

    @Test
    void compare_differentChoices_failChoicesAlone() {
        var a = choice(new int[] {1}, "a", FinishReason.LENGTH, null);
        List<CheckResult> r = GenerationComparison.compare(List.of(a), List.of(a, a), POLICY);
        assertThat(r).extracting(CheckResult::name).containsExactly("choices");
        assertThat(r.get(0).passed()).isFalse();
        assertThat(r.get(0).statistics()).containsEntry("a", 1).containsEntry("b", 2);
    }

    @Test
    void compare_logprobsOnOneSideOnly_areNotCompared() {
        var a = choice(new int[] {1}, "a", FinishReason.LENGTH, List.of(lp(1, -1, 1, -1)));
        var b = choice(new int[] {1}, "a", FinishReason.LENGTH, null);
        assertThat(GenerationComparison.compare(List.of(a), List.of(b), POLICY))
                .extracting(CheckResult::name)
                .containsExactly("choices", "tokens", "finish", "text");
    }
}
