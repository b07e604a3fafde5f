package io.parallelix.node.daemon.service;

import io.parallelix.node.gpu.EmbeddingInfo;
import io.parallelix.node.gpu.EmbeddingInput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The fake engine's "model", public so tests can compute what an answer must hold: text becomes
 * CLS, 1000 + each UTF-8 byte, SEP; token ids are used as given. Each component is an integer
 * hash of (id, dimension, position) averaged over the tokens, so different inputs give different
 * vectors and the same input the same bits on every run; truncated to {@code dims} when asked,
 * then L2-normalised when the model normalises.
 */
public final class FakeEmbeddings {
    public static final int CLS = 101;
    public static final int SEP = 102;

    private FakeEmbeddings() {}

    public static int[] tokens(EmbeddingInput in) {
        if (in instanceof EmbeddingInput.Tokens t) {
            return t.ids().clone();
        }
        byte[] utf8 = ((EmbeddingInput.Text) in).text().getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[utf8.length + 2];
        ids[0] = CLS;
        for (int i = 0; i < utf8.length; i++) {
            ids[i + 1] = 1000 + (utf8[i] & 0xff);
        }
        ids[ids.length - 1] = SEP;
        return ids;
    }

    /** {@code dims}: 0 for the model's size. */
    public static float[] vector(int[] ids, EmbeddingInfo e, int dims) {
        float[] v = new float[e.dimensions()];
        for (int d = 0; d < v.length; d++) {
            long acc = 0;
            for (int p = 0; p < ids.length; p++) {
                acc += Math.floorMod(ids[p] * 2654435761L + d * 40503L + p * 97L, 2001L) - 1000;
            }
            v[d] = acc / (1000f * ids.length);
        }
        if (dims > 0 && dims < v.length) {
            v = Arrays.copyOf(v, dims);
        }
        if (e.normalize()) {
            double sum = 0;
            for (float x : v) {
                sum += (double) x * x;
            }
            double norm = Math.sqrt(sum);
            for (int d = 0; norm > 0 && d < v.length; d++) {
                v[d] = (float) (v[d] / norm);
            }
        }
        return v;
    }
}
