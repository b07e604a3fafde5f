package io.parallelix.node.gpu.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.EmbeddingInput;
import io.parallelix.node.gpu.EmbeddingRequest;
import io.parallelix.node.gpu.InferenceEngine;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement behind EmbeddingPolicy.defaults() (docs/verification.md, "Tensors and
 * embeddings"): N = 200 inputs to a generated one-layer encoder (mean pooling, normalised, 64
 * dimensions) embedded under honest configurations that differ are all accepted, and every cheat
 * is caught.
 */
class EmbeddingVerificationEvidenceTest {
    private static final int N = 200;
    private static final int BATCH = 8;
    private static final List<String> STATS = List.of("1 - cos", "max_abs");
    /** Per test method (JUnit makes an instance per method): that method's cases only. */
    private final ToleranceSweep<EmbeddingPolicy> sweep = new ToleranceSweep<>(
            "min_cosine | max_abs",
            List.of(
                    new EmbeddingPolicy(0.9999999, 1e-6),
                    new EmbeddingPolicy(0.999999, 1e-5),
                    new EmbeddingPolicy(0.99999, 1e-5),
                    new EmbeddingPolicy(0.99999, 1e-4),
                    new EmbeddingPolicy(0.9999, 1e-3),
                    new EmbeddingPolicy(0.999, 1e-2)),
            p -> String.format(Locale.ROOT, "%s | %.0e", p.minCosine(), p.maxAbs()));

    /** Informational cost figures (printed, never asserted): the verifier's re-run and the comparison. */
    private long rerunNanos;

    private int reruns;
    private long compareNanos;
    private int compared;

    @TempDir
    static Path models;

    private static InferenceEngine base;
    private static InferenceEngine twoThreads;
    private static InferenceEngine nonDeterministic;
    private static HonestEngines engines;

    @BeforeAll
    static void open() throws Exception {
        engines = HonestEngines.open(models, "enc", VerifyModels::writeEncoder);
        base = engines.base();
        twoThreads = engines.twoThreads();
        nonDeterministic = engines.nonDeterministic();
    }

    @AfterAll
    static void close() {
        if (engines != null) {
            engines.close();
        }
    }

    @Test
    void compare_honestConfigurations_allAcceptedUnderTheDefaults() throws Exception {
        List<Tally> tallies = new ArrayList<>();
        tallies.add(run("1 vs 2 intra-op threads", true, i -> embed(twoThreads, "enc", i)));
        tallies.add(run("deterministic on vs off (2 threads)", true, i -> embed(nonDeterministic, "enc", i)));
        tallies.add(batched());
        tallies.add(run("other accumulation order (split-K graph)", true, i -> embed(base, "enc_splitk", i)));
        System.out.println("Embeddings, honest (EmbeddingPolicy.defaults() = " + EmbeddingPolicy.defaults() + "):\n"
                + Tally.table(tallies) + "\nTolerance sweep (answers that fail under each policy):\n" + sweep.table()
                + "\n"
                + String.format(
                        Locale.ROOT,
                        "Cost per input (1 intra-op thread): re-run %.1f us, comparison %.1f us",
                        rerunNanos / 1e3 / reruns,
                        compareNanos / 1e3 / compared));
        tallies.forEach(t -> assertThat(t.failed()).as(t.row()).isZero());
    }

    @Test
    void compare_cheats_allDetectedUnderTheDefaults() throws Exception {
        List<Tally> tallies = new ArrayList<>();
        tallies.add(run("other weights (same architecture)", false, i -> embed(base, "enc_other", i)));
        tallies.add(run("weights perturbed 1%", false, i -> embed(base, "enc_perturbed", i)));
        tallies.add(run("fp16 weights claimed as fp32", false, i -> embed(base, "enc_fp16", i)));
        tallies.add(run("answer to another input", false, i -> embed(base, "enc", (i + 1) % N)));
        System.out.println("Embeddings, cheats (EmbeddingPolicy.defaults() = " + EmbeddingPolicy.defaults() + "):\n"
                + Tally.table(tallies) + "\nTolerance sweep (answers that fail under each policy):\n" + sweep.table());
        tallies.forEach(t -> assertThat(t.failed()).as(t.row()).isEqualTo(t.n()));
    }

    private interface Claim {
        float[] answer(int i) throws Exception;
    }

    private Tally run(String name, boolean honest, Claim claim) throws Exception {
        Tally t = new Tally(name, honest, STATS);
        for (int i = 0; i < N; i++) {
            float[] claimed = claim.answer(i);
            long start = System.nanoTime();
            float[] mine = embed(base, "enc", i);
            rerunNanos += System.nanoTime() - start;
            reruns++;
            add(t, List.of(claimed), List.of(mine));
        }
        return t;
    }

    /** One request of 8 inputs (padded to the longest) against each input's own request: 25 x 8. */
    private Tally batched() throws Exception {
        Tally t = new Tally("batched (8 inputs) vs unbatched", true, STATS);
        for (int b = 0; b < N / BATCH; b++) {
            List<float[]> batch = base.embed(request("enc", b * BATCH, BATCH)).vectors();
            List<float[]> single = new ArrayList<>();
            for (int r = 0; r < BATCH; r++) {
                single.add(embed(base, "enc", b * BATCH + r));
            }
            for (int r = 0; r < BATCH; r++) { // per vector, so N counts inputs as in the other cases
                add(t, List.of(batch.get(r)), List.of(single.get(r)));
            }
        }
        return t;
    }

    private void add(Tally t, List<float[]> claimed, List<float[]> mine) {
        long start = System.nanoTime();
        CheckResult c = EmbeddingComparison.compare(claimed, mine, EmbeddingPolicy.defaults(), false);
        compareNanos += System.nanoTime() - start;
        compared++;
        sweep.add(
                t.name(),
                p -> !EmbeddingComparison.compare(claimed, mine, p, false).passed());
        double cosine = ((Number) c.statistics().get("min_cosine")).doubleValue();
        double maxAbs = ((Number) c.statistics().get("max_abs")).doubleValue();
        t.add(
                c.passed(),
                Boolean.TRUE.equals(c.statistics().get("bitwise_equal")),
                Map.of("1 - cos", 1 - cosine, "max_abs", maxAbs));
    }

    private static float[] embed(InferenceEngine engine, String model, int i) throws Exception {
        return engine.embed(request(model, i, 1)).vectors().get(0);
    }

    /** Inputs first .. first + n - 1: [CLS], 2 to 46 random word-piece ids (each from its own seed), [SEP]. */
    static EmbeddingRequest request(String model, int first, int n) {
        List<EmbeddingInput> inputs = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            Random random = new Random(2000 + first + r);
            int[] ids = new int[4 + random.nextInt(45)];
            ids[0] = 101;
            for (int j = 1; j < ids.length - 1; j++) {
                ids[j] = 1000 + random.nextInt(29000);
            }
            ids[ids.length - 1] = 102;
            inputs.add(new EmbeddingInput.Tokens(ids));
        }
        return new EmbeddingRequest(
                "evidence-" + first, model, inputs, false, 0, Instant.now().plusSeconds(60));
    }
}
