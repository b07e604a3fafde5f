package io.parallelix.node.gpu.decoders;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.TestDecoders;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the graphs' mask honours, one prefill at a time: causality (a later token changes no
 * earlier position), and attention_mask zeros anywhere (a left pad, a hole) hide that token as if
 * it were not there, given the positions of the tokens that remain.
 */
class DecoderMaskTest {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    @TempDir
    Path models;

    static Stream<DecoderSpec> specs() {
        return Stream.of(TestDecoders.gpt2("gpt2"), TestDecoders.llama("llama"));
    }

    @ParameterizedTest
    @MethodSource("specs")
    void prefill_laterTokenChanged_earlierPositionsUnchanged(DecoderSpec spec) throws Exception {
        try (OrtSession session = open(spec)) {
            CachedDecoder decoder = new CachedDecoder(ENV, session, spec);
            float[][][] a = decoder.prefill(ids(10, 20, 30, 40), ones(4), positions(0, 1, 2, 3));
            float[][][] b = decoder.prefill(ids(10, 20, 30, 41), ones(4), positions(0, 1, 2, 3));

            for (int i = 0; i < 3; i++) {
                assertThat(maxDiff(a[0][i], b[0][i])).as("position %d", i).isLessThanOrEqualTo(1e-6);
            }
            assertThat(maxDiff(a[0][3], b[0][3])).as("the changed position").isGreaterThan(1e-2);
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void prefill_maskedLeftPad_sameAsWithoutIt(DecoderSpec spec) throws Exception {
        try (OrtSession session = open(spec)) {
            CachedDecoder decoder = new CachedDecoder(ENV, session, spec);
            float[][][] padded =
                    decoder.prefill(ids(99, 10, 20, 30), new long[][] {{0, 1, 1, 1}}, positions(1, 0, 1, 2));
            float[][][] plain = decoder.prefill(ids(10, 20, 30), ones(3), positions(0, 1, 2));
            float[][][] unmasked = decoder.prefill(ids(99, 10, 20, 30), ones(4), positions(1, 0, 1, 2));

            assertThat(maxDiff(padded[0][3], plain[0][2])).isLessThanOrEqualTo(1e-5);
            assertThat(maxDiff(unmasked[0][3], plain[0][2])).as("the pad, seen").isGreaterThan(1e-2);
        }
    }

    @ParameterizedTest
    @MethodSource("specs")
    void prefill_maskedHole_sameAsWithoutIt(DecoderSpec spec) throws Exception {
        try (OrtSession session = open(spec)) {
            CachedDecoder decoder = new CachedDecoder(ENV, session, spec);
            float[][][] holed =
                    decoder.prefill(ids(10, 99, 20, 30), new long[][] {{1, 0, 1, 1}}, positions(0, 0, 1, 2));
            float[][][] plain = decoder.prefill(ids(10, 20, 30), ones(3), positions(0, 1, 2));

            assertThat(maxDiff(holed[0][3], plain[0][2])).isLessThanOrEqualTo(1e-5);
            assertThat(maxDiff(holed[0][2], plain[0][1])).isLessThanOrEqualTo(1e-5);
        }
    }

    private OrtSession open(DecoderSpec spec) throws Exception {
        return CachedDecoder.open(ENV, TestDecoders.write(models, spec).resolve("model.onnx"));
    }

    private static long[][] ids(long... values) {
        return new long[][] {values};
    }

    private static long[][] positions(long... values) {
        return new long[][] {values};
    }

    private static long[][] ones(int n) {
        long[] row = new long[n];
        java.util.Arrays.fill(row, 1);
        return new long[][] {row};
    }

    private static double maxDiff(float[] a, float[] b) {
        double worst = 0;
        for (int i = 0; i < a.length; i++) {
            worst = Math.max(worst, Math.abs(a[i] - b[i]));
        }
        return worst;
    }
}
