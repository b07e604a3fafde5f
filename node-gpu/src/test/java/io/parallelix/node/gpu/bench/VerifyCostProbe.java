package io.parallelix.node.gpu.bench;

import io.parallelix.node.gpu.CudaOptions;
import io.parallelix.node.gpu.EngineConfig;
import io.parallelix.node.gpu.GenerationInput;
import io.parallelix.node.gpu.GenerationListener;
import io.parallelix.node.gpu.GenerationRequest;
import io.parallelix.node.gpu.GenerationResult;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.ProviderMode;
import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.gpu.verify.GenerationClaim;
import io.parallelix.node.gpu.verify.GenerationPolicy;
import io.parallelix.node.gpu.verify.Verification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * What checking a generation costs against generating it (docs/verification.md, "Generations"),
 * side by side in one process on the benchmark's model ({@link TestDecoders#llamaBench}: 8 layers,
 * hidden 512, vocabulary 32,000): per repeat and generated length, Engine.generate (greedy, a
 * {@code prompt}-token prompt of ids) and then Engine.checkGeneration of its answer (one
 * teacher-forced prefill over prompt + answer, every token judged). The lengths' order rotates
 * with the repeat; medians over repeats of each wall time and of the per-repeat ratio.
 *
 * <pre>
 * java -cp &lt;node-gpu test class path&gt; io.parallelix.node.gpu.bench.VerifyCostProbe DIR [threads [repeats [prompt [lengths]]]]
 * </pre>
 * Defaults: 1 intra-op thread, 3 repeats, a 128-token prompt, lengths 32,128,512. DIR is a scratch
 * models directory (the model, about 240 MB, is written there once and reused).
 */
public final class VerifyCostProbe {
    private VerifyCostProbe() {}

    public static void main(String[] args) throws Exception {
        Path models = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int promptTokens = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int[] lengths = Arrays.stream((args.length > 4 ? args[4] : "32,128,512").split(","))
                .mapToInt(Integer::parseInt)
                .toArray();
        DecoderSpec spec = TestDecoders.llamaBench("bench-llama");
        if (!Files.isRegularFile(models.resolve(spec.name()).resolve("special_tokens_map.json"))) {
            TestDecoders.write(models, spec);
        }
        int[] prompt = new int[promptTokens];
        Arrays.setAll(prompt, i -> (i * 7919) % 30_000);
        GenerationPolicy policy = GenerationPolicy.defaults();
        EngineConfig config = new EngineConfig(models, ProviderMode.CPU, CudaOptions.defaults(), false, threads, 0, 4);
        try (InferenceEngine engine = InferenceEngine.open(config)) {
            double[][] gen = new double[lengths.length][repeats];
            double[][] check = new double[lengths.length][repeats];
            double[][] work = new double[lengths.length][repeats];
            double[][] prefill = new double[lengths.length][repeats];
            int[] tokens = new int[lengths.length];
            run(engine, spec.name(), prompt, 8, policy); // JIT and ORT warm-up
            for (int r = 0; r < repeats; r++) {
                for (int k = 0; k < lengths.length; k++) {
                    int l = (k + r) % lengths.length;
                    double[] t = run(engine, spec.name(), prompt, lengths[l], policy);
                    gen[l][r] = t[0];
                    check[l][r] = t[1];
                    work[l][r] = t[2];
                    prefill[l][r] = t[4];
                    tokens[l] = (int) t[3];
                    System.out.printf(
                            "repeat %d: %d tokens generated in %.0f ms, checked in %.0f ms (%.1f%%)%n",
                            r, (int) t[3], t[0], t[1], 100 * t[1] / t[0]);
                }
            }
            System.out.printf(
                    "| generated tokens | generate (ms) | of which the prompt's prefill (ms) | check (ms) | check's"
                            + " teacher-forced pass (ms) | check / generate, median (min-max) |%n");
            System.out.printf("|---|---|---|---|---|---|%n");
            for (int l = 0; l < lengths.length; l++) {
                double[] ratio = new double[repeats];
                for (int r = 0; r < repeats; r++) {
                    ratio[r] = check[l][r] / gen[l][r];
                }
                System.out.printf(
                        "| %d | %.0f | %.0f | %.0f | %.0f | %.1f%% (%.1f-%.1f%%) |%n",
                        tokens[l],
                        median(gen[l]),
                        median(prefill[l]),
                        median(check[l]),
                        median(work[l]),
                        100 * median(ratio),
                        100 * Arrays.stream(ratio).min().orElseThrow(),
                        100 * Arrays.stream(ratio).max().orElseThrow());
            }
            System.out.printf(
                    "model %s, prompt %d tokens, %d intra-op thread(s), %d repeats, policy %s%n",
                    spec.name(), promptTokens, threads, repeats, policy);
        }
    }

    /** generate ms, check ms, check work ms, tokens, the generation's prefill ms. */
    private static double[] run(InferenceEngine engine, String model, int[] prompt, int n, GenerationPolicy policy)
            throws Exception {
        GenerationRequest request = new GenerationRequest(
                "cost-" + n,
                model,
                new GenerationInput.Tokens(prompt),
                SamplingParams.defaults(1).withTemperature(0),
                n,
                1,
                List.of(),
                Instant.now().plusSeconds(600));
        long t0 = System.nanoTime();
        GenerationResult g = engine.generate(request, GenerationListener.NONE);
        long t1 = System.nanoTime();
        GenerationResult.Choice c = g.choices().get(0);
        GenerationClaim claim = new GenerationClaim(
                request.requestId(),
                model,
                request.input(),
                request.sampling(),
                n,
                List.of(),
                g.promptIds(),
                List.of(new GenerationClaim.Choice(c.index(), c.tokenIds(), c.text(), c.finish(), null)),
                Instant.now().plusSeconds(600));
        long t2 = System.nanoTime();
        Verification v = engine.checkGeneration(claim, policy);
        long t3 = System.nanoTime();
        if (!v.accepted()) {
            throw new IllegalStateException("the honest answer was rejected: " + v.firstFailed());
        }
        return new double[] {
            (t1 - t0) / 1e6, (t3 - t2) / 1e6, v.workNanos() / 1e6, c.tokenIds().length, g.prefillNanos() / 1e6
        };
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
