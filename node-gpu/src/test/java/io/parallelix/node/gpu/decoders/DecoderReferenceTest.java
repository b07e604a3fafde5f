package io.parallelix.node.gpu.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.parallelix.node.gpu.decoders.CachedDecoder.Cache;
import io.parallelix.node.gpu.decoders.CachedDecoder.Generation;
import io.parallelix.node.gpu.decoders.CachedDecoder.Padding;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.NumpyReference;
import io.parallelix.node.gpu.testing.TestDecoders;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The cached decode loop (prefill, then one run per token with present fed back as past, no copy)
 * against scripts/decoder_reference.py, which recomputes the whole sequence at every step with
 * full causal attention and no cache: every step's logits within 1e-4, the same greedy tokens.
 */
class DecoderReferenceTest {
    static final double TOLERANCE = 1e-4;
    static final int STEPS = 20;
    /** A one-token prompt (prefill of length 1) and a longer one. */
    static final List<int[]> PROMPTS = List.of(new int[] {7}, new int[] {72, 101, 108, 108, 111, 32, 119, 111});

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path models;

    static Stream<DecoderSpec> specs() {
        return Stream.of(
                TestDecoders.gpt2("gpt2-tied"),
                TestDecoders.gpt2("gpt2-untied").withTiedEmbeddings(false).withSeed(11),
                TestDecoders.llama("llama-gqa"),
                TestDecoders.llama("llama-mha").withSize(64, 2, 4, 4, 128).withSeed(12),
                TestDecoders.llama("llama-mqa-tied").withSize(96, 3, 6, 1, 160).withTiedEmbeddings(true));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void cachedLoop_greedy20_matchesNoCacheReferenceAtEveryStep(DecoderSpec spec) throws Exception {
        Path dir = TestDecoders.write(models, spec);
        List<NumpyReference.Answer> reference = NumpyReference.greedy(dir, STEPS, false, PROMPTS);

        try (OrtSession session = CachedDecoder.open(ENV, dir.resolve("model.onnx"))) {
            CachedDecoder decoder = new CachedDecoder(ENV, session, spec);
            for (int p = 0; p < PROMPTS.size(); p++) {
                Generation ours = decoder.generate(List.of(PROMPTS.get(p)), STEPS, Padding.LEFT, Cache.DIRECT);
                double worst =
                        assertMatches(ours.logits().get(0), reference.get(p).logits(), TOLERANCE);
                System.out.printf(
                        "DecoderReferenceTest %s prompt %d: tokens %s, max |cached - numpy| = %.3g%n",
                        spec.name(), p, Arrays.toString(ours.tokens().get(0)), worst);
                assertThat(ours.tokens().get(0)).isEqualTo(reference.get(p).tokens());
                // A sequence that moves: the context, not one stuck token, decides each step.
                assertThat(Arrays.stream(ours.tokens().get(0)).distinct().count())
                        .isGreaterThanOrEqualTo(4);
            }
        }
    }

    /** Asserts every step within {@code tolerance}; returns the largest difference seen. */
    static double assertMatches(List<float[]> ours, List<double[]> reference, double tolerance) {
        assertThat(ours).hasSameSizeAs(reference);
        double worst = 0;
        for (int step = 0; step < ours.size(); step++) {
            double diff = NumpyReference.maxDiff(ours.get(step), reference.get(step));
            assertThat(diff).as("max |logit difference| at step %d", step).isLessThanOrEqualTo(tolerance);
            worst = Math.max(worst, diff);
        }
        return worst;
    }
}
