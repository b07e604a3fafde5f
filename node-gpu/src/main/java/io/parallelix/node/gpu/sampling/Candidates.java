package io.parallelix.node.gpu.sampling;

import java.util.Arrays;

/**
 * Candidates as packed keys: weight W (0 &lt; W &lt;= 2^42) in bits 62..20, and 2^20 - 1 - id in bits
 * 19..0, so a greater key is a candidate earlier in the order "W descending, token id ascending".
 * Weights are integers, so every sum is exact whatever order it is taken in: that is what lets
 * {@link #prefix} find the answer from a histogram and a partition instead of sorting the
 * vocabulary. One per {@link Sampler}: it owns the histogram.
 */
final class Candidates {
    static final int ID_BITS = 20;
    static final int MAX_VOCAB = 1 << ID_BITS;
    static final long WEIGHT_ONE = 1L << 42;
    private static final long ID_MASK = MAX_VOCAB - 1;
    /** Buckets: W's binary exponent (0..42) and the next 6 bits, a 1/64-octave grid. */
    private static final int BUCKET_BITS = 6;

    private static final int BUCKETS = 43 << BUCKET_BITS;
    private static final int HISTOGRAM_FROM = 512;
    private static final int SMALL = 16;
    private static final int MAX_ROUNDS = 64;

    private final long[] histogram = new long[BUCKETS];

    static long key(long weight, int token) {
        return (weight << ID_BITS) | (ID_MASK - token);
    }

    static long weight(long key) {
        return key >>> ID_BITS;
    }

    static int token(long key) {
        return (int) (ID_MASK - (key & ID_MASK));
    }

    static long totalWeight(long[] keys, int n) {
        long sum = 0;
        for (int i = 0; i < n; i++) {
            sum += keys[i] >>> ID_BITS;
        }
        return sum;
    }

    /**
     * The length j of the shortest prefix of keys[0, n) in candidate order whose measure reaches
     * {@code need} (each key measures its weight, or 1 when {@code byCount}), for 1 &lt;= need &lt;=
     * the total. Afterwards keys[0, j) are the first j candidates (in no particular order) and
     * keys[j - 1] is the last of them. O(n): a histogram of the weights finds the bucket where the
     * prefix ends, one partition moves the buckets above it to the front, and a quickselect settles
     * the order inside that bucket.
     */
    int prefix(long[] keys, int n, long need, boolean byCount) {
        if (n < HISTOGRAM_FROM) {
            return select(keys, 0, n, need, byCount);
        }
        Arrays.fill(histogram, 0);
        for (int i = 0; i < n; i++) {
            long k = keys[i];
            histogram[bucket(k)] += byCount ? 1 : k >>> ID_BITS;
        }
        long rest = need;
        int edge = BUCKETS - 1;
        while (histogram[edge] < rest) {
            rest -= histogram[edge--];
            if (edge < 0) {
                throw new IllegalStateException("need " + need + " exceeds the candidates' total measure");
            }
        }
        int above = 0;
        for (int i = 0; i < n; i++) {
            long k = keys[i];
            if (bucket(k) > edge) {
                keys[i] = keys[above];
                keys[above++] = k;
            }
        }
        int at = above;
        for (int i = above; i < n; i++) {
            long k = keys[i];
            if (bucket(k) == edge) {
                keys[i] = keys[at];
                keys[at++] = k;
            }
        }
        return select(keys, above, at, rest, byCount);
    }

    private static int bucket(long key) {
        long bits = Double.doubleToRawLongBits((double) (key >>> ID_BITS));
        return (int) (bits >>> (52 - BUCKET_BITS)) - (1023 << BUCKET_BITS);
    }

    /**
     * {@link #prefix} within keys[lo, hi), knowing keys[0, lo) come first: quickselect by measure
     * with median-of-three pivots, and a sort of what is left after {@value #MAX_ROUNDS} rounds so
     * bad pivots cost O(n log n). Returns the absolute prefix length.
     */
    private static int select(long[] keys, int from, int to, long need, boolean byCount) {
        int lo = from;
        int hi = to;
        long rest = need;
        for (int round = 0; hi - lo > SMALL && round < MAX_ROUNDS; round++) {
            medianToEnd(keys, lo, lo + (hi - lo) / 2, hi - 1);
            long pivot = keys[hi - 1];
            int store = lo;
            long front = 0;
            for (int i = lo; i < hi - 1; i++) {
                long k = keys[i];
                if (k > pivot) {
                    keys[i] = keys[store];
                    keys[store++] = k;
                    front += byCount ? 1 : k >>> ID_BITS;
                }
            }
            keys[hi - 1] = keys[store];
            keys[store] = pivot;
            if (front >= rest) {
                hi = store;
            } else {
                rest -= front;
                long own = byCount ? 1 : pivot >>> ID_BITS;
                if (own >= rest) {
                    return store + 1;
                }
                rest -= own;
                lo = store + 1;
            }
        }
        Arrays.sort(keys, lo, hi);
        for (int i = lo, j = hi - 1; i < j; i++, j--) {
            long t = keys[i];
            keys[i] = keys[j];
            keys[j] = t;
        }
        for (int i = lo; i < hi; i++) {
            rest -= byCount ? 1 : keys[i] >>> ID_BITS;
            if (rest <= 0) {
                return i + 1;
            }
        }
        throw new IllegalStateException("need " + need + " exceeds the candidates' total measure");
    }

    /** Puts the median of keys[a], keys[b], keys[c] at c (c is the pivot slot). */
    private static void medianToEnd(long[] keys, int a, int b, int c) {
        long x = keys[a];
        long y = keys[b];
        long z = keys[c];
        int m;
        if (x < y) {
            m = y < z ? b : (x < z ? c : a);
        } else {
            m = x < z ? a : (y < z ? c : b);
        }
        long t = keys[m];
        keys[m] = keys[c];
        keys[c] = t;
    }
}
