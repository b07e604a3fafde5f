package io.parallelix.node.gpu;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * Token vectors [batch, sequence, hidden] to one vector per row, over the row's real tokens only
 * (rows are padded on the right). Sums run in double in token order, so a row's vector depends on
 * its own tokens alone, not on the padding its batch needed; normalisation is L2, in double.
 */
final class Pooler {
    private Pooler() {}

    /** Row {@code row}'s vector from its first {@code tokens} positions. */
    static float[] pool(ByteBuffer hidden, int sequence, int size, int row, int tokens, Pooling pooling) {
        FloatBuffer h = hidden.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int base = row * sequence * size;
        float[] out = new float[size];
        switch (pooling) {
            case CLS -> h.get(base, out);
            case LAST_TOKEN -> h.get(base + (tokens - 1) * size, out);
            case MEAN -> {
                double[] sum = new double[size];
                for (int t = 0; t < tokens; t++) {
                    for (int d = 0, at = base + t * size; d < size; d++) {
                        sum[d] += h.get(at + d);
                    }
                }
                for (int d = 0; d < size; d++) {
                    out[d] = (float) (sum[d] / tokens);
                }
            }
            case MAX -> {
                Arrays.fill(out, Float.NEGATIVE_INFINITY);
                for (int t = 0; t < tokens; t++) {
                    for (int d = 0, at = base + t * size; d < size; d++) {
                        out[d] = Math.max(out[d], h.get(at + d));
                    }
                }
            }
        }
        return out;
    }

    /** The first {@code dimensions} values, L2-normalised when asked; a zero vector stays zero. */
    static float[] finish(float[] v, int dimensions, boolean normalize) {
        float[] out = dimensions == v.length ? v : Arrays.copyOf(v, dimensions);
        if (!normalize) {
            return out;
        }
        double norm = 0;
        for (float x : out) {
            norm += (double) x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (out[i] / norm);
            }
        }
        return out;
    }
}
