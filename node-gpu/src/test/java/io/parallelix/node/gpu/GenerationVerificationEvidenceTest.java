package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.gpu.verify.CheckResult;
import io.parallelix.node.gpu.verify.GenerationClaim;
import io.parallelix.node.gpu.verify.GenerationPolicy;
import io.parallelix.node.gpu.verify.Verification;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evidence behind GenerationPolicy.defaults() (docs/verification.md, "Generations"): N
 * requests on the tiny Llama and GPT-2 decoders (greedy and sampled, with and without logprobs)
 * generated under one honest configuration and checked under another (deterministic + 1 intra-op
 * thread against non-deterministic + 2, both ways) are all accepted; each cheat (another model of
 * the same architecture, the weights perturbed by 1%, the weights rounded to FP16, the answer to
 * another prompt, one token changed, a truncation ending in a false end-of-sequence id or with no
 * end at all, another seed) is caught. Prints the table the docs copy.
 */
class GenerationVerificationEvidenceTest {
    private static final int N = 204;
    private static final int MAX_TOKENS = 20;
    private static final List<String> MODELS = List.of(TestDecoders.LLAMA, TestDecoders.GPT2);

    @TempDir
    static Path honestA;

    @TempDir
    static Path honestB;

    private static InferenceEngine a;
    private static InferenceEngine b;
    private static final GenerationPolicy POLICY = GenerationPolicy.defaults();
    private static final Map<String, String> table = new LinkedHashMap<>();

    @BeforeAll
    static void open() throws Exception {
        for (DecoderSpec spec : List.of(TestDecoders.llama(TestDecoders.LLAMA), TestDecoders.gpt2(TestDecoders.GPT2))) {
            TestDecoders.write(honestA, spec);
            TestDecoders.write(honestB, spec);
            // the cheats' models, beside the honest ones on engine A
            TestDecoders.write(honestA, spec.withName(spec.name() + "-other").withSeed(spec.seed() + 100));
            Path perturbed = TestDecoders.write(
                    honestA, spec.withName(spec.name() + "-perturbed").withExternalData(true));
            rewriteWeights(perturbed, seededNoise(0.01, 7));
            Path half = TestDecoders.write(
                    honestA, spec.withName(spec.name() + "-fp16").withExternalData(true));
            rewriteWeights(half, w -> Float.float16ToFloat(Float.floatToFloat16(w)));
        }
        a = InferenceEngine.open(new EngineConfig(honestA, ProviderMode.CPU, CudaOptions.defaults(), true, 1, 0, 4));
        b = InferenceEngine.open(new EngineConfig(honestB, ProviderMode.CPU, CudaOptions.defaults(), false, 2, 0, 4));
    }

    @AfterAll
    static void close() {
        a.close();
        b.close();
        System.out.println("GenerationVerificationEvidenceTest policy " + POLICY);
        System.out.println("| case | N | rejected | caught by | worst statistic vs threshold |");
        System.out.println("|---|---|---|---|---|");
        table.forEach((k, v) -> System.out.println("| " + k + " | " + v + " |"));
    }

    /** Multiplies every weight by (1 + scale * g), g uniform in [-sqrt3, sqrt3] (standard deviation 1). */
    private static Function<Float, Float> seededNoise(double scale, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return w -> (float) (w * (1 + scale * (2 * r.nextDouble() - 1) * Math.sqrt(3)));
    }

    /** Rewrites model.onnx_data (raw little-endian FP32) value by value. */
    private static void rewriteWeights(Path dir, Function<Float, Float> f) throws IOException {
        Path data = dir.resolve(TestDecoders.EXTERNAL_DATA);
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(data)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i + 4 <= bytes.limit(); i += 4) {
            bytes.putFloat(i, f.apply(bytes.getFloat(i)));
        }
        Files.write(data, bytes.array());
    }

    /** Request i: model, prompt, greedy or sampled (three truncations), logprobs or not. */
    private record Case(int i, String model, GenerationInput input, SamplingParams sampling) {
        boolean sampled() {
            return !sampling.greedy();
        }

        String kind() {
            return (sampled() ? "sampled" : "greedy")
                    + (sampling.logprobs() ? "+logprobs(top " + sampling.topLogprobs() + ")" : "");
        }

        GenerationRequest request(String onModel, SamplingParams s) {
            return new GenerationRequest(
                    "req-" + i,
                    onModel,
                    input,
                    s,
                    MAX_TOKENS,
                    1,
                    List.of(),
                    Instant.now().plusSeconds(120));
        }

        GenerationClaim claim(GenerationResult r, GenerationClaim.Choice choice, @Nullable int[] promptIds) {
            return new GenerationClaim(
                    "req-" + i,
                    model,
                    input,
                    sampling,
                    MAX_TOKENS,
                    List.of(),
                    promptIds,
                    List.of(choice),
                    Instant.now().plusSeconds(120));
        }
    }

    private static List<Case> cases(long seed, boolean allSampled) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Case> out = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            String model = MODELS.get(i % 2);
            GenerationInput input;
            if (i % 5 == 4) {
                input = new GenerationInput.Text("Hello world, the day " + i);
            } else {
                int[] ids = new int[3 + r.nextInt(10)];
                Arrays.setAll(ids, k -> r.nextInt(256));
                input = new GenerationInput.Tokens(ids);
            }
            SamplingParams s = SamplingParams.defaults(1000L + i);
            boolean sampled = allSampled || (i / 2) % 2 == 1;
            s = sampled
                    ? switch (i % 3) {
                        case 0 -> s;
                        case 1 -> s.withTruncation(40, 0.9, 0.0);
                        default -> s.withTemperature(0.8).withTruncation(0, 1.0, 0.05);
                    }
                    : s.withTemperature(0);
            if ((i / 4) % 2 == 1) {
                s = s.withLogprobs((i / 8) % 2 == 0 ? 5 : 0); // 0: the chosen token's logprob alone
            }
            out.add(new Case(i, model, input, s));
        }
        return out;
    }

    private static GenerationClaim.Choice choice(GenerationResult.Choice c, boolean logprobs) {
        return new GenerationClaim.Choice(
                c.index(), c.tokenIds(), c.text(), c.finish(), logprobs ? c.logprobs() : null);
    }

    private static GenerationResult generate(InferenceEngine e, Case c, String onModel, SamplingParams s)
            throws InferenceException {
        return e.generate(c.request(onModel, s), GenerationListener.NONE);
    }

    /** Worst figures over accepted checks, and who caught the rejected ones. */
    private static final class Tally {
        int n;
        int rejected;
        /** Accepted cheats whose tokens are exactly the honest answer's: nothing to catch. */
        int identical;
        /** Accepted cheats that differ from the honest answer only after a near-tie (gap <= tie_logit_gap). */
        int tied;

        double tiedGap;

        final Map<String, Integer> caughtBy = new TreeMap<>();
        final Map<String, int[]> byKind = new TreeMap<>();
        double greedyGap;
        int sampledDeviating;
        double logprobDiff;
        final List<Double> gaps = new ArrayList<>();
        final List<Double> diffs = new ArrayList<>();
        final List<String> missed = new ArrayList<>();

        void add(Case c, Verification v) {
            n++;
            int[] k = byKind.computeIfAbsent(c.kind(), x -> new int[2]);
            k[1]++;
            if (!v.accepted()) {
                rejected++;
                k[0]++;
                caughtBy.merge(v.firstFailed().orElseThrow().name(), 1, Integer::sum);
            } else if (missed.size() < 3) {
                missed.add("req-" + c.i() + " " + c.kind() + " " + v.checks());
            }
            for (CheckResult r : v.checks()) {
                if (r.name().equals("tokens") && r.statistics().get("worst_logit_gap") instanceof Double g) {
                    if (c.sampled()) {
                        sampledDeviating = Math.max(
                                sampledDeviating, (Integer) r.statistics().get("deviating"));
                    } else {
                        greedyGap = Math.max(greedyGap, g);
                        gaps.add(g);
                    }
                }
                if (r.name().equals("logprobs") && r.statistics().get("max_logprob_diff") instanceof Double d) {
                    logprobDiff = Math.max(logprobDiff, d);
                    diffs.add(d);
                }
            }
        }

        String row(boolean honest) {
            StringBuilder kinds = new StringBuilder();
            byKind.forEach((k, v) -> kinds.append(k)
                    .append(' ')
                    .append(v[0])
                    .append('/')
                    .append(v[1])
                    .append(", "));
            String worst = honest
                    ? String.format(
                            "greedy logit gap %.3g (tie_logit_gap %s); sampled deviating %d (allowed %d);"
                                    + " logprob diff %.3g (logprob_abs %s)",
                            greedyGap,
                            POLICY.tieLogitGap(),
                            sampledDeviating,
                            POLICY.maxDeviatingPositions(),
                            logprobDiff,
                            POLICY.logprobAbs())
                    : kinds.substring(0, Math.max(0, kinds.length() - 2));
            if (!honest) {
                worst += "; greedy worst gap " + spread(gaps) + "; logprob diff " + spread(diffs);
            }
            if (!honest) {
                missed.forEach(m -> System.out.println("GenerationVerificationEvidenceTest accepted cheat: " + m));
            }
            String accepted = identical > 0 ? " (" + identical + " accepted = the honest tokens)" : "";
            if (tied > 0) {
                accepted += String.format(" (%d accepted through a near-tie, gap <= %.2g)", tied, tiedGap);
            }
            return n + " | " + rejected + accepted + " | " + caughtBy + " | " + worst;
        }

        /** min / median of one statistic over the claims (how tight a threshold must be to catch them). */
        private static String spread(List<Double> values) {
            if (values.isEmpty()) {
                return "-";
            }
            List<Double> sorted = values.stream().sorted().toList();
            return String.format("min %.3g median %.3g", sorted.get(0), sorted.get(sorted.size() / 2));
        }
    }

    private static final List<Case> CASES = cases(42, false);
    private static final Map<String, List<GenerationResult>> answers = new LinkedHashMap<>();

    /** Honest answers on engine A (cached for the cheats built from them). */
    private static synchronized List<GenerationResult> honestOnA() throws InferenceException {
        List<GenerationResult> out = answers.get("A");
        if (out == null) {
            out = new ArrayList<>();
            for (Case c : CASES) {
                out.add(generate(a, c, c.model(), c.sampling()));
            }
            answers.put("A", out);
        }
        return out;
    }

    @Test
    void honestAnswers_acrossThreadsAndDeterminism_areAllAccepted() throws Exception {
        List<GenerationResult> onA = honestOnA();
        Tally aToB = new Tally();
        Tally bToA = new Tally();
        for (int i = 0; i < N; i++) {
            Case c = CASES.get(i);
            GenerationResult r = onA.get(i);
            aToB.add(
                    c,
                    b.checkGeneration(
                            c.claim(r, choice(r.choices().get(0), c.sampling().logprobs()), r.promptIds()), POLICY));
            GenerationResult rb = generate(b, c, c.model(), c.sampling());
            bToA.add(
                    c,
                    a.checkGeneration(
                            c.claim(rb, choice(rb.choices().get(0), c.sampling().logprobs()), null), POLICY));
        }
        table.put("honest: generated det/1 thread, checked non-det/2 threads", aToB.row(true));
        table.put("honest: generated non-det/2 threads, checked det/1 thread", bToA.row(true));
        assertThat(aToB.rejected).as(aToB.row(true)).isZero();
        assertThat(bToA.rejected).as(bToA.row(true)).isZero();
    }

    @Test
    void otherWeights_areCaught_unlessTheyGiveTheHonestTokens() throws Exception {
        List<GenerationResult> onA = honestOnA();
        for (String suffix : List.of("-other", "-perturbed", "-fp16")) {
            Tally t = new Tally();
            for (int i = 0; i < N; i++) {
                Case c = CASES.get(i);
                GenerationResult r = generate(a, c, c.model() + suffix, c.sampling());
                Verification v = b.checkGeneration(
                        c.claim(r, choice(r.choices().get(0), c.sampling().logprobs()), r.promptIds()), POLICY);
                t.add(c, v);
                if (v.accepted()) {
                    if (Arrays.equals(
                            r.choices().get(0).tokenIds(),
                            onA.get(i).choices().get(0).tokenIds())) {
                        t.identical++;
                    } else {
                        // a greedy answer through a near-tie: the honest model ranks both tokens within the tie gap
                        assertThat(c.sampled())
                                .as("accepted sampled cheat %s", v.checks())
                                .isFalse();
                        t.tied++;
                        t.tiedGap = Math.max(t.tiedGap, worstGap(v));
                    }
                }
            }
            String name = switch (suffix) {
                case "-other" -> "cheat: another model (same architecture, other random weights)";
                case "-perturbed" -> "cheat: the weights x (1 + 1% noise)";
                default -> "cheat: the weights rounded to FP16, claimed as FP32";
            };
            table.put(name, t.row(false));
            // what gets through is exactly the honest answer (a perturbation too small to change a token)
            assertThat(t.rejected + t.identical + t.tied).as(t.row(false)).isEqualTo(N);
            if (suffix.equals("-other")) {
                assertThat(t.rejected).as(t.row(false)).isEqualTo(N);
            }
        }
    }

    @Test
    void editedAnswers_areCaught() throws Exception {
        List<GenerationResult> onA = honestOnA();
        SplittableRandom rnd = new SplittableRandom(3);
        Tally otherPrompt = new Tally();
        Tally changed = new Tally();
        Tally falseEos = new Tally();
        Tally falseStop = new Tally();
        for (int i = 0; i < N; i++) {
            Case c = CASES.get(i);
            GenerationResult r = onA.get(i);
            GenerationClaim.Choice honest =
                    choice(r.choices().get(0), c.sampling().logprobs());
            // another prompt's answer (same model, sampling and logprobs), claimed for this prompt
            GenerationResult other = onA.get((i + 8) % N);
            otherPrompt.add(
                    c,
                    b.checkGeneration(
                            c.claim(
                                    r,
                                    choice(other.choices().get(0), c.sampling().logprobs()),
                                    null),
                            POLICY));
            // one token changed mid-sequence (text made to match, logprobs kept)
            int[] tokens = honest.tokenIds().clone();
            int at = tokens.length / 2;
            tokens[at] = (tokens[at] + 1 + rnd.nextInt(255)) % 256;
            changed.add(c, b.checkGeneration(c.claim(r, edited(c, r, honest, tokens, honest.finish()), null), POLICY));
            int keep = tokens.length / 2;
            if (keep == 0 || a.loaded(c.model()).orElseThrow().generator().isEos(honest.tokenIds()[keep])) {
                continue; // the honest answer itself ends there: nothing to truncate
            }
            // truncated: cut in half, an end-of-sequence id at the cut, 'stop'

            int[] cut = Arrays.copyOf(honest.tokenIds(), keep + 1);
            cut[keep] = eos(c.model());
            falseEos.add(c, b.checkGeneration(c.claim(r, edited(c, r, honest, cut, FinishReason.STOP), null), POLICY));
            // truncated with no end at all, 'stop'
            int[] bare = Arrays.copyOf(honest.tokenIds(), honest.tokenIds().length / 2);
            falseStop.add(
                    c, b.checkGeneration(c.claim(r, edited(c, r, honest, bare, FinishReason.STOP), null), POLICY));
        }
        table.put("cheat: the answer to another prompt", otherPrompt.row(false));
        table.put("cheat: one token changed mid-sequence", changed.row(false));
        table.put("cheat: truncated, an end-of-sequence id at the cut, 'stop'", falseEos.row(false));
        table.put("cheat: truncated, 'stop' without an end", falseStop.row(false));
        assertThat(otherPrompt.rejected).as(otherPrompt.row(false)).isEqualTo(N);
        assertThat(changed.rejected).as(changed.row(false)).isEqualTo(N);
        assertThat(falseEos.n).isGreaterThanOrEqualTo(200);
        assertThat(falseEos.rejected).as(falseEos.row(false)).isEqualTo(falseEos.n);
        assertThat(falseStop.rejected).as(falseStop.row(false)).isEqualTo(falseStop.n);
    }

    @Test
    void sampledUnderAnotherSeed_isCaught() throws Exception {
        Tally t = new Tally();
        for (Case c : cases(43, true)) {
            GenerationResult r =
                    generate(a, c, c.model(), c.sampling().withSeed(c.sampling().seed() + 1));
            t.add(
                    c,
                    b.checkGeneration(
                            c.claim(r, choice(r.choices().get(0), c.sampling().logprobs()), null), POLICY));
        }
        table.put("cheat: sampled under another seed", t.row(false));
        assertThat(t.rejected).as(t.row(false)).isEqualTo(N);
    }

    /** A cheat's edited choice: these tokens, their own text as the node would write it, logprobs realigned. */
    private static GenerationClaim.Choice edited(
            Case c, GenerationResult r, GenerationClaim.Choice honest, int[] tokens, FinishReason finish) {
        Generator g = a.loaded(c.model()).orElseThrow().generator();
        ChoiceText text = g.text(r.promptIds(), List.of());
        StringBuilder s = new StringBuilder();
        for (int t = 0; t < tokens.length; t++) {
            ChoiceText.Piece p = text.next(tokens[t], t + 1 == tokens.length);
            s.append(p.text());
            if (p.finish() != null) {
                break;
            }
        }
        List<TokenLogprobs> lp = honest.logprobs();
        List<TokenLogprobs> realigned = null;
        if (lp != null) {
            realigned = new ArrayList<>();
            for (int t = 0; t < tokens.length; t++) {
                TokenLogprobs o = lp.get(Math.min(t, lp.size() - 1));
                realigned.add(new TokenLogprobs(tokens[t], o.token(), o.logprob(), o.top()));
            }
        }
        return new GenerationClaim.Choice(honest.index(), tokens, s.toString(), finish, realigned);
    }

    private static double worstGap(Verification v) {
        return v.checks().stream()
                .filter(x -> x.name().equals("tokens"))
                .mapToDouble(x -> (Double) x.statistics().get("worst_logit_gap"))
                .max()
                .orElseThrow();
    }

    private static int eos(String model) {
        return a.model(model).orElseThrow().generation().eosTokenIds().get(0);
    }
}
