package io.parallelix.node.gpu.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingComparisonTest {
    private static final EmbeddingPolicy POLICY = new EmbeddingPolicy(0.99999, 1e-5);

    @Test
    void compare_bitwiseEqual_passesEvenExact() {
        List<float[]> v = List.of(new float[] {0.6f, 0.8f}, new float[] {1, 0});
        CheckResult c = EmbeddingComparison.compare(
                v, List.of(v.get(0).clone(), v.get(1).clone()), POLICY, true);
        assertThat(c.passed()).isTrue();
        assertThat(c.name()).isEqualTo("embedding");
        assertThat(c.statistics())
                .containsEntry("vectors", 2)
                .containsEntry("dimensions", 2)
                .containsEntry("min_cosine", 1.0)
                .containsEntry("max_abs", 0.0)
                .containsEntry("bitwise_equal", true);
    }

    @Test
    void compare_countOrDimensionMismatch_fails() {
        float[] a = {1, 0};
        CheckResult count = EmbeddingComparison.compare(List.of(a), List.of(a, a), POLICY, false);
        assertThat(count.passed()).isFalse();
        assertThat(count.detail()).isEqualTo("1 vectors in the claimed result, 2 in the re-run");
        CheckResult dims = EmbeddingComparison.compare(List.of(a, a), List.of(a, new float[] {1, 0, 0}), POLICY, false);
        assertThat(dims.passed()).isFalse();
        assertThat(dims.detail()).isEqualTo("vector 1 has 2 dimensions in the claimed result, 3 in the re-run");
        CheckResult named = EmbeddingComparison.compare(List.of(a), List.of(a, a), POLICY, false, new Sides("A", "B"));
        assertThat(named.detail()).isEqualTo("1 vectors in A, 2 in B");
    }

    @Test
    void compare_tinyDifferences_passLoose_failExact() {
        List<float[]> claimed = List.of(new float[] {0.6f, 0.8f});
        List<float[]> mine = List.of(new float[] {Math.nextUp(0.6f), 0.8f});
        assertThat(EmbeddingComparison.compare(claimed, mine, POLICY, false).passed())
                .isTrue();
        CheckResult exact = EmbeddingComparison.compare(claimed, mine, POLICY, true);
        assertThat(exact.passed()).isFalse();
        assertThat(exact.detail()).startsWith("not bitwise equal");
    }

    @Test
    void compare_lowCosine_failsNamingTheWorstVector() {
        List<float[]> claimed = List.of(new float[] {1, 0}, new float[] {1, 0}, new float[] {0, 1});
        List<float[]> mine = List.of(new float[] {1, 0}, new float[] {0.8f, 0.6f}, new float[] {0, 1});
        CheckResult c = EmbeddingComparison.compare(claimed, mine, POLICY, false);
        assertThat(c.passed()).isFalse();
        assertThat(c.statistics()).containsEntry("worst_vector", 1).containsEntry("max_abs_vector", 1);
        assertThat((double) c.statistics().get("min_cosine")).isCloseTo(0.8, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(c.detail()).contains("(vector 1)").contains("below min_cosine");
    }

    @Test
    void compare_componentOverMaxAbs_failsEvenWithAHighCosine() {
        float[] big = new float[1000];
        java.util.Arrays.fill(big, 1);
        float[] moved = big.clone();
        moved[7] += 1e-3f; // cosine stays above 0.9999999
        CheckResult c = EmbeddingComparison.compare(List.of(big), List.of(moved), POLICY, false);
        assertThat(c.passed()).isFalse();
        assertThat(c.detail()).contains("above max_abs");
    }

    @Test
    void compare_nonFiniteComponent_failsUnlessBitwiseEqual() {
        List<float[]> nan = List.of(new float[] {Float.NaN, 1});
        assertThat(EmbeddingComparison.compare(nan, List.of(new float[] {Float.NaN, 1}), POLICY, false)
                        .passed())
                .isTrue();
        CheckResult c = EmbeddingComparison.compare(nan, List.of(new float[] {0, 1}), POLICY, false);
        assertThat(c.passed()).isFalse();
        assertThat(c.detail()).isEqualTo("vector 0 has a NaN or infinite component");
        c.statistics().values().stream()
                .filter(v -> v instanceof Double)
                .forEach(v -> assertThat((Double) v).isFinite());
    }

    @Test
    void compare_zeroVectorsAndEmptyLists() {
        assertThat(EmbeddingComparison.compare(List.of(), List.of(), POLICY, true)
                        .passed())
                .isTrue();
        assertThat(EmbeddingComparison.cosine(new float[2], new float[2])).isEqualTo(1.0);
        assertThat(EmbeddingComparison.cosine(new float[2], new float[] {1, 0})).isEqualTo(0.0);
    }
}
