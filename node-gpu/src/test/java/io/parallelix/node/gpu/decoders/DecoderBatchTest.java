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
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Two prompts of different lengths in one batch, padded left (HF's way for generation) or right
 * (pads stay in the cache as holes the mask hides), give each prompt the tokens it gets alone,
 * and logits within 1e-5 of its own run.
 */
class DecoderBatchTest {
    private static final double TOLERANCE = 1e-5;
    private static final int STEPS = 12;
    private static final List<int[]> PROMPTS =
            List.of(new int[] {72, 101, 108, 108, 111, 44, 32}, new int[] {300, 17, 45});
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path models;

    static Stream<Arguments> cases() {
        return Stream.of(TestDecoders.gpt2("gpt2"), TestDecoders.llama("llama"))
                .flatMap(spec -> Stream.of(Arguments.of(spec, Padding.LEFT), Arguments.of(spec, Padding.RIGHT)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void generate_twoPaddedPrompts_sameTokensAsEachAlone(DecoderSpec spec, Padding padding) throws Exception {
        Path dir = TestDecoders.write(models, spec);
        try (OrtSession session = CachedDecoder.open(ENV, dir.resolve("model.onnx"))) {
            CachedDecoder decoder = new CachedDecoder(ENV, session, spec);
            Generation batch = decoder.generate(PROMPTS, STEPS, padding, Cache.DIRECT);
            double worst = 0;
            for (int p = 0; p < PROMPTS.size(); p++) {
                Generation alone = decoder.generate(List.of(PROMPTS.get(p)), STEPS, padding, Cache.DIRECT);
                assertThat(batch.tokens().get(p))
                        .as("prompt %d's tokens", p)
                        .isEqualTo(alone.tokens().get(0));
                for (int step = 0; step < STEPS; step++) {
                    float[] a = batch.logits().get(p).get(step);
                    float[] b = alone.logits().get(0).get(step);
                    for (int v = 0; v < a.length; v++) {
                        worst = Math.max(worst, Math.abs(a[v] - b[v]));
                    }
                }
            }
            System.out.printf("DecoderBatchTest %s %s: max |batched - alone| = %.3g%n", spec.name(), padding, worst);
            assertThat(worst).isLessThanOrEqualTo(TOLERANCE);
        }
    }
}
