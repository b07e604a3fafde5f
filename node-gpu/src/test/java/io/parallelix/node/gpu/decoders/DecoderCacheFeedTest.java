package io.parallelix.node.gpu.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.parallelix.node.gpu.decoders.CachedDecoder.Cache;
import io.parallelix.node.gpu.decoders.CachedDecoder.Generation;
import io.parallelix.node.gpu.decoders.CachedDecoder.Padding;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.TestDecoders;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feeding present back as past as the OnnxTensors ONNX Runtime returned (native memory, no copy)
 * gives bitwise the results of copying each through the Java heap into a new tensor; prints what
 * the copy costs per step at this model's cache size (the benchmark model's figures are in
 * docs/test-decoders.md).
 */
class DecoderCacheFeedTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private static final int STEPS = 64;

    @TempDir
    Path models;

    @Test
    void generate_presentFedDirectly_bitwiseSameAsHeapCopies() throws Exception {
        DecoderSpec spec = TestDecoders.llama("llama").withSize(128, 4, 8, 2, 256);
        Path dir = TestDecoders.write(models, spec.withReferenceWeights(false));
        int[] prompt = new int[64];
        Arrays.setAll(prompt, i -> (i * 37) % 256);
        try (OrtSession session = CachedDecoder.open(ENV, dir.resolve("model.onnx"))) {
            CachedDecoder decoder = new CachedDecoder(ENV, session, spec);
            decoder.generate(List.of(prompt), 4, Padding.LEFT, Cache.DIRECT); // warm-up
            Generation direct = decoder.generate(List.of(prompt), STEPS, Padding.LEFT, Cache.DIRECT);
            Generation copied = decoder.generate(List.of(prompt), STEPS, Padding.LEFT, Cache.HEAP_COPY);

            assertThat(direct.tokens().get(0)).isEqualTo(copied.tokens().get(0));
            for (int step = 0; step < STEPS; step++) {
                assertThat(direct.logits().get(0).get(step))
                        .isEqualTo(copied.logits().get(0).get(step));
            }
            long kvBytes = 2L * spec.layers() * spec.kvHeads() * spec.headDim() * 4 * (prompt.length + STEPS);
            System.out.printf(
                    "DecoderCacheFeedTest: cache %d KiB at the end; per decode step: run %.1f us, feeding present"
                            + " directly %.2f us, through the heap %.2f us (median)%n",
                    kvBytes / 1024,
                    median(direct.runNanos()) / 1e3,
                    median(direct.cacheNanos()) / 1e3,
                    median(copied.cacheNanos()) / 1e3);
        }
    }

    private static double median(long[] nanos) {
        long[] decode = Arrays.copyOfRange(nanos, 1, nanos.length); // step 0 is the prefill
        Arrays.sort(decode);
        return decode[decode.length / 2];
    }
}
