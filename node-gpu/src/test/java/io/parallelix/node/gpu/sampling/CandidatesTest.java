package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CandidatesTest {
    @Test
    void key_weightAndToken_roundTripAndOrderWeightDescendingThenIdAscending() {
        long a = Candidates.key(5, 10);
        assertThat(Candidates.weight(a)).isEqualTo(5);
        assertThat(Candidates.token(a)).isEqualTo(10);
        assertThat(Candidates.key(5, 9)).isGreaterThan(a);
        assertThat(Candidates.key(6, Candidates.MAX_VOCAB - 1)).isGreaterThan(Candidates.key(5, 0));
        assertThat(Candidates.key(Candidates.WEIGHT_ONE, 0)).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "ascending", "descending", "equal-weights", "one-heavy", "powers-of-two"})
    void prefix_anyNeed_isTheShortestPrefixOfTheSortedOrder(String shape) {
        SplittableRandom random = new SplittableRandom(shape.hashCode());
        for (int round = 0; round < 300; round++) {
            int n = 1 + random.nextInt(round < 200 ? 64 : 5000);
            long[] keys = keys(shape, n, random);
            long[] sorted = keys.clone();
            Arrays.sort(sorted);
            reverse(sorted);
            for (boolean byCount : new boolean[] {true, false}) {
                long total = byCount ? n : Candidates.totalWeight(keys, n);
                long need = round % 5 == 0 ? total : (round % 7 == 0 ? 1 : 1 + random.nextLong(total));
                long[] work = keys.clone();
                int j = new Candidates().prefix(work, n, need, byCount);
                int expected = shortest(sorted, need, byCount);
                assertThat(j)
                        .as("%s n=%d need=%d byCount=%s", shape, n, need, byCount)
                        .isEqualTo(expected);
                assertThat(work[j - 1]).isEqualTo(sorted[j - 1]);
                assertThat(set(work, j)).isEqualTo(set(sorted, j));
                assertThat(set(work, n)).isEqualTo(set(keys, n));
            }
        }
    }

    @Test
    void prefix_needAboveTheTotal_isAnError() {
        long[] keys = {Candidates.key(3, 0), Candidates.key(2, 1)};
        assertThatThrownBy(() -> new Candidates().prefix(keys, 2, 6, false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("need 6");
        long[] many = new long[1000];
        for (int i = 0; i < many.length; i++) {
            many[i] = Candidates.key(1 + i, i);
        }
        assertThatThrownBy(() -> new Candidates().prefix(many, 1000, 1001, true))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("need 1001");
    }

    private static long[] keys(String shape, int n, SplittableRandom random) {
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            long w = switch (shape) {
                case "ascending", "descending" -> 1 + i;
                case "equal-weights" -> 1000;
                case "one-heavy" -> i == n / 2 ? Candidates.WEIGHT_ONE : 1 + random.nextInt(3);
                default -> 1 + random.nextLong(Candidates.WEIGHT_ONE);
            };
            keys[i] = Candidates.key(w, shape.equals("descending") ? n - 1 - i : i);
        }
        if (shape.equals("descending")) {
            Arrays.sort(keys);
            reverse(keys);
        } else if (shape.equals("ascending")) {
            Arrays.sort(keys);
        }
        return keys;
    }

    private static int shortest(long[] sorted, long need, boolean byCount) {
        long sum = 0;
        for (int i = 0; i < sorted.length; i++) {
            sum += byCount ? 1 : Candidates.weight(sorted[i]);
            if (sum >= need) {
                return i + 1;
            }
        }
        throw new AssertionError("need above total");
    }

    private static Set<Long> set(long[] keys, int n) {
        Set<Long> s = new HashSet<>();
        for (int i = 0; i < n; i++) {
            s.add(keys[i]);
        }
        return s;
    }

    private static void reverse(long[] a) {
        for (int i = 0, j = a.length - 1; i < j; i++, j--) {
            long t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
