package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.chat.ChatMessage;
import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.gpu.verify.CheckResult;
import io.parallelix.node.gpu.verify.GenerationClaim;
import io.parallelix.node.gpu.verify.GenerationPolicy;
import io.parallelix.node.gpu.verify.Verification;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Engine.checkGeneration on the tiny decoders: which checks run and what they say, the replay of
 * stop strings and finish reasons, the deviation allowance, and bad claims refused by field (the
 * evidence of honest agreement and caught cheats: GenerationVerificationEvidenceTest).
 */
class GenerationVerifierTest {
    private static final int[] PROMPT = {72, 101, 108, 108, 111, 32, 119, 111};
    private static final GenerationPolicy POLICY = GenerationPolicy.defaults();

    @TempDir
    static Path models;

    private static InferenceEngine engine;

    @BeforeAll
    static void open() throws Exception {
        TestDecoders.writeLlama(models);
        TestDecoders.writeGpt2(models);
        TestModels.writeAdd(models);
        engine = InferenceEngine.open(TestModels.cpuConfig(models));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static GenerationRequest request(
            GenerationInput input, SamplingParams s, int maxTokens, List<String> stop) {
        return new GenerationRequest(
                "req-v",
                TestDecoders.LLAMA,
                input,
                s,
                maxTokens,
                1,
                stop,
                Instant.now().plusSeconds(60));
    }

    private static GenerationClaim claim(
            GenerationRequest r, @Nullable int[] promptIds, GenerationClaim.Choice... choices) {
        return new GenerationClaim(
                r.requestId(),
                r.model(),
                r.input(),
                r.sampling(),
                r.maxTokens(),
                r.stop(),
                promptIds,
                List.of(choices),
                r.deadline());
    }

    private static GenerationClaim.Choice choice(GenerationResult.Choice c, boolean logprobs) {
        return new GenerationClaim.Choice(
                c.index(), c.tokenIds(), c.text(), c.finish(), logprobs ? c.logprobs() : null);
    }

    private static List<String> names(Verification v) {
        return v.checks().stream().map(CheckResult::name).toList();
    }

    private static CheckResult check(Verification v, String name) {
        return v.checks().stream()
                .filter(c -> c.name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void checkGeneration_honestGreedyAnswerWithLogprobs_passesEveryCheckWithItsStatistics() throws Exception {
        GenerationRequest r = request(
                new GenerationInput.Tokens(PROMPT),
                SamplingParams.defaults(1).withTemperature(0).withLogprobs(3),
                12,
                List.of());
        GenerationResult g = engine.generate(r, GenerationListener.NONE);
        Verification v = engine.checkGeneration(
                claim(r, g.promptIds(), choice(g.choices().get(0), true)), POLICY);
        assertThat(v.accepted()).as(v.checks().toString()).isTrue();
        assertThat(names(v)).containsExactly("prompt", "tokens", "logprobs", "finish", "text");
        assertThat(check(v, "tokens").statistics())
                .containsEntry("sampling", "greedy")
                .containsEntry("positions", g.choices().get(0).tokenIds().length)
                .containsEntry("deviating", 0)
                .containsEntry("first_deviating", -1)
                .containsKeys("worst_logit_gap", "reproduced");
        assertThat((Double) check(v, "logprobs").statistics().get("max_logprob_diff"))
                .isLessThan(1e-5);
        assertThat(check(v, "finish").statistics())
                .containsEntry("replayed", g.choices().get(0).finish().wireName());
        assertThat(v.modelSha256())
                .isEqualTo(engine.model(TestDecoders.LLAMA).orElseThrow().sha256());
        assertThat(v.workNanos()).isPositive();
    }

    @Test
    void checkGeneration_tamperedLogprobs_failLogprobsAtThatPosition() throws Exception {
        GenerationRequest r = request(
                new GenerationInput.Tokens(PROMPT),
                SamplingParams.defaults(1).withTemperature(0).withLogprobs(3),
                8,
                List.of());
        GenerationResult.Choice c =
                engine.generate(r, GenerationListener.NONE).choices().get(0);
        List<TokenLogprobs> lp = c.logprobs();
        int at = 2;
        TokenLogprobs honest = lp.get(at);
        List<TokenLogprobs> shifted = new java.util.ArrayList<>(lp);
        shifted.set(at, new TokenLogprobs(honest.id(), honest.token(), honest.logprob() + 0.01, honest.top()));
        CheckResult off = check(
                engine.checkGeneration(
                        claim(r, null, new GenerationClaim.Choice(0, c.tokenIds(), c.text(), c.finish(), shifted)),
                        POLICY),
                "logprobs");
        assertThat(off.passed()).isFalse();
        assertThat(off.statistics()).containsEntry("first_deviating", at).containsEntry("deviating", 1);
        assertThat((Double) off.statistics().get("max_logprob_diff")).isBetween(0.0099, 0.0101);

        List<TokenLogprobs.Top> top = new java.util.ArrayList<>(honest.top());
        int outside = java.util.stream.IntStream.range(0, 256)
                .filter(id -> honest.top().stream().noneMatch(t -> t.id() == id))
                .findFirst()
                .orElseThrow();
        top.set(0, new TokenLogprobs.Top(outside, "x", top.get(0).logprob())); // a token the model does not rank there
        List<TokenLogprobs> otherTop = new java.util.ArrayList<>(lp);
        otherTop.set(at, new TokenLogprobs(honest.id(), honest.token(), honest.logprob(), top));
        CheckResult wrongIds = check(
                engine.checkGeneration(
                        claim(r, null, new GenerationClaim.Choice(0, c.tokenIds(), c.text(), c.finish(), otherTop)),
                        POLICY),
                "logprobs");
        assertThat(wrongIds.passed()).isFalse();
        assertThat(wrongIds.statistics()).containsEntry("first_deviating", at);
    }

    @Test
    void checkGeneration_sampledChatAnswer_reproducesEveryDraw() throws Exception {
        GenerationRequest r = request(
                new GenerationInput.Chat(List.of(ChatMessage.user("Hello"))),
                SamplingParams.defaults(77).withTruncation(20, 0.95, 0.0),
                16,
                List.of());
        GenerationResult g = engine.generate(r, GenerationListener.NONE);
        Verification v = engine.checkGeneration(
                claim(r, g.promptIds(), choice(g.choices().get(0), false)), POLICY);
        assertThat(v.accepted()).as(v.checks().toString()).isTrue();
        assertThat(check(v, "tokens").statistics())
                .containsEntry("sampling", "sampled")
                .containsEntry("reproduced", g.choices().get(0).tokenIds().length)
                .containsKeys("min_probability", "improbable");
    }

    @Test
    void checkGeneration_stopStringAnswer_isReplayed_andAFalseFinishFails() throws Exception {
        SamplingParams greedy = SamplingParams.defaults(1).withTemperature(0);
        GenerationResult free = engine.generate(
                request(new GenerationInput.Tokens(PROMPT), greedy, 24, List.of()), GenerationListener.NONE);
        String text = free.choices().get(0).text();
        String stop = text.substring(text.length() / 2, text.length() / 2 + 2);
        GenerationRequest r = request(new GenerationInput.Tokens(PROMPT), greedy, 24, List.of(stop));
        GenerationResult g = engine.generate(r, GenerationListener.NONE);
        GenerationResult.Choice c = g.choices().get(0);
        assertThat(c.finish()).isEqualTo(FinishReason.STOP);
        Verification v = engine.checkGeneration(claim(r, null, choice(c, false)), POLICY);
        assertThat(v.accepted()).as(v.checks().toString()).isTrue();
        assertThat(check(v, "finish").statistics()).containsEntry("ended_by", "stop_string");

        GenerationClaim.Choice lying = new GenerationClaim.Choice(0, c.tokenIds(), c.text(), FinishReason.LENGTH, null);
        CheckResult finish = check(engine.checkGeneration(claim(r, null, lying), POLICY), "finish");
        assertThat(finish.passed()).isFalse();
        assertThat(finish.detail()).contains("claims finish 'length'");
    }

    @Test
    void checkGeneration_editedText_failsTextAtTheFirstDifferentCharacter() throws Exception {
        GenerationRequest r = request(
                new GenerationInput.Tokens(PROMPT), SamplingParams.defaults(1).withTemperature(0), 8, List.of());
        GenerationResult.Choice c =
                engine.generate(r, GenerationListener.NONE).choices().get(0);
        GenerationClaim.Choice edited = new GenerationClaim.Choice(0, c.tokenIds(), c.text() + "!", c.finish(), null);
        Verification v = engine.checkGeneration(claim(r, null, edited), POLICY);
        assertThat(v.firstFailed().orElseThrow().name()).isEqualTo("text");
        assertThat(check(v, "text").statistics())
                .containsEntry("first_difference", c.text().length());
    }

    @Test
    void checkGeneration_otherPromptIds_failPromptAndStopThere() throws Exception {
        GenerationRequest r = request(
                new GenerationInput.Text("Hello world"),
                SamplingParams.defaults(1).withTemperature(0),
                4,
                List.of());
        GenerationResult g = engine.generate(r, GenerationListener.NONE);
        int[] other = g.promptIds().clone();
        other[other.length - 1] = (other[other.length - 1] + 1) % 256;
        Verification v =
                engine.checkGeneration(claim(r, other, choice(g.choices().get(0), false)), POLICY);
        assertThat(names(v)).containsExactly("prompt");
        assertThat(v.accepted()).isFalse();
        assertThat(check(v, "prompt").statistics()).containsEntry("first_difference", other.length - 1);
        assertThat(v.workNanos()).isZero();
    }

    @Test
    void checkGeneration_moreTokensThanMaxTokens_failsWithoutRunning() throws Exception {
        GenerationRequest r = request(
                new GenerationInput.Tokens(PROMPT), SamplingParams.defaults(1).withTemperature(0), 4, List.of());
        GenerationClaim.Choice tooLong =
                new GenerationClaim.Choice(0, new int[] {1, 2, 3, 4, 5}, "", FinishReason.LENGTH, null);
        Verification v = engine.checkGeneration(claim(r, null, tooLong), POLICY);
        assertThat(v.firstFailed().orElseThrow().detail()).contains("claims 5 tokens", "at most 4");
        assertThat(v.workNanos()).isZero();
        GenerationClaim.Choice outside =
                new GenerationClaim.Choice(0, new int[] {1, 9999}, "", FinishReason.LENGTH, null);
        assertThat(engine.checkGeneration(claim(r, null, outside), POLICY)
                        .firstFailed()
                        .orElseThrow()
                        .detail())
                .contains("outside the vocabulary");
    }

    @Test
    void checkGeneration_changedLastToken_isOneDeviatingPosition_whichAnAllowanceOfOneAccepts() throws Exception {
        GenerationRequest r = request(new GenerationInput.Tokens(PROMPT), SamplingParams.defaults(5), 16, List.of());
        GenerationResult g = engine.generate(r, GenerationListener.NONE);
        GenerationResult.Choice c = g.choices().get(0);
        assertThat(c.finish()).isEqualTo(FinishReason.LENGTH);
        int[] tokens = c.tokenIds().clone();
        int at = tokens.length - 1; // the last: an earlier edit makes every later draw inconsistent too
        tokens[at] = (tokens[at] + 1) % 256;
        Generator gen = engine.loaded(TestDecoders.LLAMA).orElseThrow().generator();
        ChoiceText replay = gen.text(g.promptIds(), List.of());
        StringBuilder text = new StringBuilder();
        for (int t = 0; t < tokens.length; t++) {
            text.append(replay.next(tokens[t], t + 1 == tokens.length && c.finish() == FinishReason.LENGTH)
                    .text());
        }
        GenerationClaim.Choice changed = new GenerationClaim.Choice(0, tokens, text.toString(), c.finish(), null);
        Verification strict = engine.checkGeneration(claim(r, null, changed), POLICY);
        assertThat(check(strict, "tokens").passed()).isFalse();
        assertThat(check(strict, "tokens").statistics()).containsEntry("first_deviating", at);
        GenerationPolicy lenient = new GenerationPolicy(POLICY.tieLogitGap(), 0.0, POLICY.logprobAbs(), 1);
        Verification tolerated = engine.checkGeneration(claim(r, null, changed), lenient);
        assertThat(check(tolerated, "tokens").passed())
                .as(tolerated.checks().toString())
                .isTrue();
        assertThat(check(tolerated, "tokens").statistics()).containsEntry("deviating", 1);
    }

    @Test
    void checkGeneration_badClaims_areRefusedByField() {
        SamplingParams greedy = SamplingParams.defaults(1).withTemperature(0);
        GenerationClaim.Choice one = new GenerationClaim.Choice(0, new int[] {1}, "", FinishReason.LENGTH, null);
        GenerationRequest r = request(new GenerationInput.Tokens(PROMPT), greedy, 4, List.of());
        GenerationClaim tooMany = new GenerationClaim(
                "x", TestDecoders.LLAMA, r.input(), greedy, 100_000, List.of(), null, List.of(one), r.deadline());
        assertThatThrownBy(() -> engine.checkGeneration(tooMany, POLICY))
                .isInstanceOfSatisfying(
                        InferenceException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("max_tokens"));
        assertThatThrownBy(() -> engine.checkGeneration(claim(r, null), POLICY))
                .isInstanceOfSatisfying(
                        InferenceException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("choices"));
        assertThatThrownBy(() -> engine.checkGeneration(claim(r, null, one, one), POLICY))
                .isInstanceOfSatisfying(
                        InferenceException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("choices[1].index"));
        GenerationClaim badStop = new GenerationClaim(
                "x", TestDecoders.LLAMA, r.input(), greedy, 4, List.of(""), null, List.of(one), r.deadline());
        assertThatThrownBy(() -> engine.checkGeneration(badStop, POLICY))
                .isInstanceOfSatisfying(
                        InferenceException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("stop"));
        GenerationClaim tensors = new GenerationClaim(
                "x", TestModels.ADD, r.input(), greedy, 4, List.of(), null, List.of(one), r.deadline());
        assertThatThrownBy(() -> engine.checkGeneration(tensors, POLICY))
                .isInstanceOfSatisfying(
                        InferenceException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("model"));
        GenerationClaim unknown =
                new GenerationClaim("x", "nope", r.input(), greedy, 4, List.of(), null, List.of(one), r.deadline());
        assertThatThrownBy(() -> engine.checkGeneration(unknown, POLICY))
                .isInstanceOf(InferenceException.UnknownModel.class);
    }

    @Test
    void checkGeneration_pastItsDeadline_isDeadlineExceeded_andLeavesTheSlotsFree() throws Exception {
        SamplingParams greedy = SamplingParams.defaults(1).withTemperature(0);
        GenerationClaim.Choice one = new GenerationClaim.Choice(0, new int[] {1}, "", FinishReason.LENGTH, null);
        GenerationClaim late = new GenerationClaim(
                "x",
                TestDecoders.LLAMA,
                new GenerationInput.Tokens(PROMPT),
                greedy,
                4,
                List.of(),
                null,
                List.of(one),
                Instant.now().minusSeconds(1));
        for (int i = 0; i < 6; i++) { // more than the model's 4 sequence slots
            assertThatThrownBy(() -> engine.checkGeneration(late, POLICY))
                    .isInstanceOf(InferenceException.DeadlineExceeded.class);
        }
        GenerationRequest r = request(new GenerationInput.Tokens(PROMPT), greedy, 4, List.of());
        GenerationResult g = engine.generate(r, GenerationListener.NONE);
        assertThat(engine.checkGeneration(claim(r, null, choice(g.choices().get(0), false)), POLICY)
                        .accepted())
                .isTrue();
    }
}
