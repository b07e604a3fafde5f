package io.parallelix.node.gpu.decoders;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.parallelix.node.gpu.decoders.CachedDecoder.Cache;
import io.parallelix.node.gpu.decoders.CachedDecoder.Generation;
import io.parallelix.node.gpu.decoders.CachedDecoder.Padding;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.TestDecoders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What the benchmark's model costs on raw ONNX Runtime (CPU, one intra-op thread unless given):
 * writing {@link TestDecoders#llamaBench}, opening it, a 128-token prefill and the decode steps
 * after it, with present fed back directly and, for comparison, through heap copies.
 *
 * <pre>
 * java -cp &lt;node-gpu test class path&gt; io.parallelix.node.gpu.decoders.DecoderBenchProbe DIR [threads] [steps]
 * </pre>
 * DIR is a scratch directory (about 240 MB is written there and left for reuse).
 */
public final class DecoderBenchProbe {
    private DecoderBenchProbe() {}

    public static void main(String[] args) throws Exception {
        Path models = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 129;
        DecoderSpec spec = TestDecoders.llamaBench("bench-llama");
        long t0 = System.nanoTime();
        Path dir = TestDecoders.write(models, spec);
        long written = System.nanoTime() - t0;
        System.out.printf(
                "written %s: %,d weights, %,d bytes, in %.1f s%n",
                dir, spec.parameterCount(), Files.size(dir.resolve(TestDecoders.EXTERNAL_DATA)), written / 1e9);
        int[] prompt = new int[128];
        Arrays.setAll(prompt, i -> (i * 7919) % 30_000);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            long t1 = System.nanoTime();
            try (OrtSession session =
                    env.createSession(dir.resolve("model.onnx").toString(), options)) {
                System.out.printf(
                        "session opened in %.2f s (%d intra-op threads)%n", (System.nanoTime() - t1) / 1e9, threads);
                CachedDecoder decoder = new CachedDecoder(env, session, spec);
                decoder.generate(List.of(prompt), 3, Padding.LEFT, Cache.DIRECT); // warm-up
                for (int round = 0; round < 2; round++) {
                    Generation direct = decoder.generate(List.of(prompt), steps, Padding.LEFT, Cache.DIRECT);
                    Generation copied = decoder.generate(List.of(prompt), steps, Padding.LEFT, Cache.HEAP_COPY);
                    long kvBytes = 2L * spec.layers() * spec.kvHeads() * spec.headDim() * 4 * (128 + steps);
                    System.out.printf(
                            "round %d: prefill 128 tokens %.2f ms; decode step (context 128..%d) median %.3f"
                                    + " ms, p90 %.3f ms; present fed directly %.1f us/step, heap copy %.1f us/step"
                                    + " (median; cache %d KiB at the end); same tokens: %b%n",
                            round,
                            direct.runNanos()[0] / 1e6,
                            128 + steps - 1,
                            quantile(direct.runNanos(), 0.5) / 1e6,
                            quantile(direct.runNanos(), 0.9) / 1e6,
                            quantile(direct.cacheNanos(), 0.5) / 1e3,
                            quantile(copied.cacheNanos(), 0.5) / 1e3,
                            kvBytes / 1024,
                            Arrays.equals(
                                    direct.tokens().get(0), copied.tokens().get(0)));
                }
            }
        }
    }

    /** Over the decode steps only (step 0 is the prefill). */
    private static double quantile(long[] nanos, double q) {
        long[] decode = Arrays.copyOfRange(nanos, 1, nanos.length);
        Arrays.sort(decode);
        return decode[(int) Math.min(decode.length - 1, Math.floor(q * decode.length))];
    }
}
