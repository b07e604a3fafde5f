package io.parallelix.node.gpu.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.parallelix.node.gpu.decoders.CachedDecoder.Cache;
import io.parallelix.node.gpu.decoders.CachedDecoder.Generation;
import io.parallelix.node.gpu.decoders.CachedDecoder.Padding;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.NumpyReference;
import io.parallelix.node.gpu.testing.TestDecoders;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The FP16 KV variant: past and present are FLOAT16, fed back as they come out; the reference
 * rounds every key and value to half precision too (--kv-fp16), so both attend over the same
 * rounded cache: the same greedy tokens, logits within 1e-3 at every step. Not 1e-4: a key that
 * lies within float32 error of a half-precision rounding boundary rounds one way in ONNX Runtime
 * (float32) and the other in numpy (float64), one half-precision ulp (2^-11 relative) apart,
 * which moved a logit by 1.4e-4 (the Llama model, step 9); the FP32 cache agrees within 3e-6.
 */
class DecoderKvFp16Test {
    private static final double TOLERANCE = 1e-3;

    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path models;

    static Stream<DecoderSpec> specs() {
        return Stream.of(
                TestDecoders.gpt2("gpt2-fp16kv").withKvFp16(true),
                TestDecoders.llama("llama-fp16kv").withKvFp16(true));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void cachedLoop_fp16Cache_matchesReferenceWithHalfPrecisionKeysAndValues(DecoderSpec spec) throws Exception {
        Path dir = TestDecoders.write(models, spec);
        List<int[]> prompts = DecoderReferenceTest.PROMPTS;
        List<NumpyReference.Answer> reference = NumpyReference.greedy(dir, DecoderReferenceTest.STEPS, true, prompts);

        try (OrtSession session = CachedDecoder.open(ENV, dir.resolve("model.onnx"))) {
            for (String name : List.of("past_key_values.0.key", "past_key_values.1.value")) {
                TensorInfo past = (TensorInfo) session.getInputInfo().get(name).getInfo();
                assertThat(past.type).as(name).isEqualTo(OnnxJavaType.FLOAT16);
            }
            TensorInfo present =
                    (TensorInfo) session.getOutputInfo().get("present.0.key").getInfo();
            assertThat(present.type).isEqualTo(OnnxJavaType.FLOAT16);
            CachedDecoder decoder = new CachedDecoder(ENV, session, spec);
            for (int p = 0; p < prompts.size(); p++) {
                Generation ours = decoder.generate(
                        List.of(prompts.get(p)), DecoderReferenceTest.STEPS, Padding.LEFT, Cache.DIRECT);
                double worst = DecoderReferenceTest.assertMatches(
                        ours.logits().get(0), reference.get(p).logits(), TOLERANCE);
                System.out.printf(
                        "DecoderKvFp16Test %s prompt %d: max |cached - numpy| = %.3g%n", spec.name(), p, worst);
                assertThat(ours.tokens().get(0)).isEqualTo(reference.get(p).tokens());
            }
        }
    }
}
