package io.parallelix.node.gpu.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.InferenceRequest;
import io.parallelix.node.gpu.Safetensors;
import io.parallelix.node.gpu.testing.TestTensors;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The measurement behind TensorPolicy.defaults() (docs/verification.md, "Tensors and embeddings"):
 * N = 200 requests to a generated MLP (logits F32, probs F32, label I64, logits F16, probs BF16)
 * answered under honest configurations that differ are all accepted, and every cheat is caught.
 */
class TensorVerificationEvidenceTest {
    private static final int N = 200;
    private static final int BATCH = 8;
    private static final List<String> STATS =
            List.of("fp32 tolerance_used", "fp32 max_abs", "fp32 max_rel", "fp16 tolerance_used");

    /** Per test method (JUnit makes an instance per method): that method's cases only. */
    private final ToleranceSweep<TensorPolicy.Tolerance> fp32 = ToleranceSweep.tensors(
            "fp32",
            List.of(
                    new TensorPolicy.Tolerance(1e-6, 1e-5),
                    new TensorPolicy.Tolerance(1e-5, 1e-4),
                    new TensorPolicy.Tolerance(1e-5, 1e-3),
                    new TensorPolicy.Tolerance(1e-4, 1e-3),
                    new TensorPolicy.Tolerance(1e-4, 1e-2),
                    new TensorPolicy.Tolerance(1e-3, 1e-2)));

    private final ToleranceSweep<TensorPolicy.Tolerance> fp16 = ToleranceSweep.tensors(
            "fp16/bf16",
            List.of(
                    new TensorPolicy.Tolerance(1e-5, 1e-3),
                    new TensorPolicy.Tolerance(1e-4, 1e-2),
                    new TensorPolicy.Tolerance(1e-3, 1e-2),
                    new TensorPolicy.Tolerance(1e-2, 1e-2),
                    new TensorPolicy.Tolerance(1e-2, 3e-2)));

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
        engines = HonestEngines.open(models, "mlp", VerifyModels::writeMlp);
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
        tallies.add(run("1 vs 2 intra-op threads", true, i -> twoThreads.infer(request("mlp", i))));
        tallies.add(run("deterministic on vs off (2 threads)", true, i -> nonDeterministic.infer(request("mlp", i))));
        tallies.add(batched());
        tallies.add(run("other accumulation order (split-K graph)", true, i -> base.infer(request("mlp_splitk", i))));
        System.out.println("Tensors, honest (TensorPolicy.defaults() = " + TensorPolicy.defaults() + "):\n"
                + Tally.table(tallies) + "\nTolerance sweep (answers with a tensor of the family outside it):\n"
                + fp32.table() + "\n" + fp16.table() + "\n" + cost());
        tallies.forEach(t -> assertThat(t.failed()).as(t.row()).isZero());
    }

    @Test
    void compare_cheats_allDetectedUnderTheDefaults() throws Exception {
        List<Tally> tallies = new ArrayList<>();
        tallies.add(run("other weights (same architecture)", false, i -> base.infer(request("mlp_other", i))));
        tallies.add(run("weights perturbed 1%", false, i -> base.infer(request("mlp_perturbed", i))));
        tallies.add(run("fp16 weights claimed as fp32", false, i -> base.infer(request("mlp_fp16", i))));
        tallies.add(run("answer to another input", false, i -> base.infer(request("mlp", (i + 1) % N))));
        System.out.println("Tensors, cheats (TensorPolicy.defaults() = " + TensorPolicy.defaults() + "):\n"
                + Tally.table(tallies) + "\nTolerance sweep (answers with a tensor of the family outside it):\n"
                + fp32.table() + "\n" + fp16.table());
        tallies.forEach(t -> assertThat(t.failed()).as(t.row()).isEqualTo(t.n()));
    }

    private interface Claim {
        io.parallelix.node.gpu.InferenceResult answer(int i) throws Exception;
    }

    private Tally run(String name, boolean honest, Claim claim) throws Exception {
        Tally t = new Tally(name, honest, STATS);
        for (int i = 0; i < N; i++) {
            Safetensors.File claimed = Safetensors.decode(claim.answer(i).safetensors());
            long start = System.nanoTime();
            Safetensors.File mine =
                    Safetensors.decode(base.infer(request("mlp", i)).safetensors());
            rerunNanos += System.nanoTime() - start;
            reruns++;
            add(t, name, claimed, mine);
        }
        return t;
    }

    /** One request of 8 rows against each row's own request: 25 batches, 200 rows. */
    private Tally batched() throws Exception {
        Tally t = new Tally("batched (8 rows) vs unbatched", true, STATS);
        for (int b = 0; b < N / BATCH; b++) {
            Safetensors.File batch = Safetensors.decode(
                    base.infer(request("mlp", b * BATCH, BATCH)).safetensors());
            for (int r = 0; r < BATCH; r++) {
                Safetensors.File mine = Safetensors.decode(
                        base.infer(request("mlp", b * BATCH + r)).safetensors());
                add(t, t.name(), row(batch, r, BATCH), mine);
            }
        }
        return t;
    }

    private void add(Tally t, String name, Safetensors.File claimed, Safetensors.File mine) {
        fp32.add(
                name,
                tol -> !familyPassed(
                        TensorComparison.compare(claimed, mine, new TensorPolicy(tol, tol), false), false));
        fp16.add(
                name,
                tol -> !familyPassed(TensorComparison.compare(claimed, mine, new TensorPolicy(tol, tol), false), true));
        long start = System.nanoTime();
        List<CheckResult> checks = TensorComparison.compare(claimed, mine, TensorPolicy.defaults(), false);
        compareNanos += System.nanoTime() - start;
        compared++;
        Map<String, Double> values = new HashMap<>();
        boolean bitwise = true;
        for (CheckResult c : checks) {
            bitwise &= Boolean.TRUE.equals(c.statistics().get("bitwise_equal"));
            String family = c.name().endsWith("16") ? "fp16 " : "fp32 ";
            if (c.statistics().get("tolerance_used") instanceof Double used) {
                values.merge(family + "tolerance_used", used, Math::max);
                values.merge(family + "max_abs", (Double) c.statistics().get("max_abs"), Math::max);
                values.merge(family + "max_rel", (Double) c.statistics().get("max_rel"), Math::max);
            }
        }
        t.add(checks.stream().allMatch(CheckResult::passed), bitwise, values);
    }

    private String cost() {
        return String.format(
                java.util.Locale.ROOT,
                "Cost per answer (1 intra-op thread): re-run %.1f us, comparison %.1f us",
                rerunNanos / 1e3 / reruns,
                compareNanos / 1e3 / compared);
    }

    /** Whether every float tensor of one family (F16/BF16, or F32) passed; integer tensors are not in either. */
    private static boolean familyPassed(List<CheckResult> checks, boolean half) {
        return checks.stream()
                .filter(c -> c.statistics().containsKey("tolerance_used"))
                .filter(c -> c.name().endsWith("16") == half)
                .allMatch(CheckResult::passed);
    }

    /** Row r of a batch-of-n result, as the result of that row's own request would be shaped. */
    private static Safetensors.File row(Safetensors.File batch, int r, int n) {
        List<Safetensors.Tensor> rows = new ArrayList<>();
        for (Safetensors.Tensor t : batch.tensors()) {
            int bytes = t.data().remaining() / n;
            ByteBuffer slice = t.data().slice(t.data().position() + r * bytes, bytes);
            List<Long> shape = new ArrayList<>(t.shape());
            shape.set(0, 1L);
            rows.add(new Safetensors.Tensor(t.name(), t.dtype(), shape, slice));
        }
        return new Safetensors.File(rows, batch.metadata());
    }

    static InferenceRequest request(String model, int first) {
        return request(model, first, 1);
    }

    /** Rows first .. first + n - 1 of the fixed input set, each N(0, 1) from its own seed. */
    static InferenceRequest request(String model, int first, int n) {
        float[] x = new float[n * VerifyModels.MLP_IN];
        for (int r = 0; r < n; r++) {
            Random random = new Random(1000 + first + r);
            for (int j = 0; j < VerifyModels.MLP_IN; j++) {
                x[r * VerifyModels.MLP_IN + j] = (float) random.nextGaussian();
            }
        }
        return new InferenceRequest(
                "evidence-" + first,
                model,
                List.of(TestTensors.fp32("x", List.of((long) n, (long) VerifyModels.MLP_IN), x)),
                List.of(),
                Instant.now().plusSeconds(60));
    }
}
