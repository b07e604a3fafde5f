package io.parallelix.node.gpu.testing;

import io.parallelix.node.gpu.testing.DecoderSpec.Architecture;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The weights of a generated decoder, named and shaped as Hugging Face's state dict
 * (GPT2LMHeadModel, LlamaForCausalLM), so that the reference reads them as HF code would. Each
 * value is a pure function of (seed, tensor name, flat index in the HF layout): no generator state,
 * no large arrays, any order (the ONNX side writes Linear weights transposed, as MatMul takes them).
 * Values are uniform with the given mean and standard deviation.
 */
final class DecoderWeights {
    private static final int CHUNK_FLOATS = 1 << 18;

    /**
     * One tensor. {@code transposed}: an nn.Linear weight [out, in], which the graph holds as
     * [in, out] under {@code name + ".T"}; GPT-2's Conv1D weights are [in, out] already.
     */
    @SuppressWarnings("ArrayRecordComponent") // a description, never compared as a record
    record Tensor(String name, long[] shape, double std, double mean, boolean transposed) {
        long size() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }

        String onnxName() {
            return transposed ? name + ".T" : name;
        }

        long[] onnxDims() {
            return transposed ? new long[] {shape[1], shape[0]} : shape.clone();
        }
    }

    private DecoderWeights() {}

    static List<Tensor> of(DecoderSpec s) {
        return s.architecture() == Architecture.GPT2 ? gpt2(s) : llama(s);
    }

    static float value(long seed, Tensor t, long index) {
        long z = mix(seed * 0x9E3779B97F4A7C15L + t.name().hashCode() * 0xD1B54A32D192ED03L + index);
        double u = (z >>> 40) * 0x1.0p-24; // [0, 1), 24 bits
        return (float) (t.mean() + (2 * u - 1) * Math.sqrt(3) * t.std());
    }

    /** The values in the graph's layout, little-endian FP32, in chunks (no array of the whole tensor). */
    static void writeOnnxLayout(long seed, Tensor t, OutputStream out) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
        long rows = t.transposed() ? t.shape()[1] : 1;
        long cols = t.transposed() ? t.shape()[0] : t.size();
        for (long r = 0; r < rows; r++) {
            for (long c = 0; c < cols; c++) {
                // transposed: graph[r][c] = hf[c][r], hf row length = rows
                long index = t.transposed() ? c * rows + r : c;
                chunk.putFloat(value(seed, t, index));
                if (!chunk.hasRemaining()) {
                    out.write(chunk.array(), 0, chunk.position());
                    chunk.clear();
                }
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    /** The values in the HF layout (row-major), for the reference's file. */
    static void writeHfLayout(long seed, Tensor t, OutputStream out) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(4 * CHUNK_FLOATS).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0, n = t.size(); i < n; i++) {
            chunk.putFloat(value(seed, t, i));
            if (!chunk.hasRemaining()) {
                out.write(chunk.array(), 0, chunk.position());
                chunk.clear();
            }
        }
        out.write(chunk.array(), 0, chunk.position());
    }

    private static List<Tensor> gpt2(DecoderSpec s) {
        long h = s.hiddenSize();
        long inner = s.intermediateSize();
        double proj = 1 / Math.sqrt((double) h);
        List<Tensor> all = new ArrayList<>();
        // Small against the blocks' outputs: with the tied head, a large embedding makes each token its
        // own best logit, and a random model repeats it.
        all.add(new Tensor("transformer.wte.weight", new long[] {s.vocabSize(), h}, 0.1, 0, false));
        all.add(new Tensor("transformer.wpe.weight", new long[] {s.maxPositions(), h}, 0.5, 0, false));
        for (int i = 0; i < s.layers(); i++) {
            String p = "transformer.h." + i + ".";
            all.add(vector(p + "ln_1.weight", h, 0.1, 1));
            all.add(vector(p + "ln_1.bias", h, 0.1, 0));
            all.add(new Tensor(p + "attn.c_attn.weight", new long[] {h, 3 * h}, proj, 0, false));
            all.add(vector(p + "attn.c_attn.bias", 3 * h, 0.1, 0));
            all.add(new Tensor(p + "attn.c_proj.weight", new long[] {h, h}, proj, 0, false));
            all.add(vector(p + "attn.c_proj.bias", h, 0.1, 0));
            all.add(vector(p + "ln_2.weight", h, 0.1, 1));
            all.add(vector(p + "ln_2.bias", h, 0.1, 0));
            all.add(new Tensor(p + "mlp.c_fc.weight", new long[] {h, inner}, proj, 0, false));
            all.add(vector(p + "mlp.c_fc.bias", inner, 0.1, 0));
            all.add(new Tensor(
                    p + "mlp.c_proj.weight", new long[] {inner, h}, 1 / Math.sqrt((double) inner), 0, false));
            all.add(vector(p + "mlp.c_proj.bias", h, 0.1, 0));
        }
        all.add(vector("transformer.ln_f.weight", h, 0.1, 1));
        all.add(vector("transformer.ln_f.bias", h, 0.1, 0));
        if (!s.tiedEmbeddings()) {
            all.add(new Tensor("lm_head.weight", new long[] {s.vocabSize(), h}, proj, 0, true));
        }
        return all;
    }

    private static List<Tensor> llama(DecoderSpec s) {
        long h = s.hiddenSize();
        long q = (long) s.heads() * s.headDim();
        long kv = (long) s.kvHeads() * s.headDim();
        long inner = s.intermediateSize();
        double proj = 1 / Math.sqrt((double) h);
        List<Tensor> all = new ArrayList<>();
        // Tied: a large embedding makes each token its own best logit (a random model repeats it).
        double embedding = s.tiedEmbeddings() ? 0.03 : 0.5;
        all.add(new Tensor("model.embed_tokens.weight", new long[] {s.vocabSize(), h}, embedding, 0, false));
        for (int i = 0; i < s.layers(); i++) {
            String p = "model.layers." + i + ".";
            all.add(vector(p + "input_layernorm.weight", h, 0.1, 1));
            all.add(linear(p + "self_attn.q_proj.weight", q, h, proj));
            all.add(linear(p + "self_attn.k_proj.weight", kv, h, proj));
            all.add(linear(p + "self_attn.v_proj.weight", kv, h, proj));
            all.add(linear(p + "self_attn.o_proj.weight", h, q, 1 / Math.sqrt((double) q)));
            all.add(vector(p + "post_attention_layernorm.weight", h, 0.1, 1));
            all.add(linear(p + "mlp.gate_proj.weight", inner, h, proj));
            all.add(linear(p + "mlp.up_proj.weight", inner, h, proj));
            all.add(linear(p + "mlp.down_proj.weight", h, inner, 1 / Math.sqrt((double) inner)));
        }
        all.add(vector("model.norm.weight", h, 0.1, 1));
        if (!s.tiedEmbeddings()) {
            all.add(linear("lm_head.weight", s.vocabSize(), h, proj));
        }
        return all;
    }

    private static Tensor vector(String name, long n, double std, double mean) {
        return new Tensor(name, new long[] {n}, std, mean, false);
    }

    private static Tensor linear(String name, long out, long in, double std) {
        return new Tensor(name, new long[] {out, in}, std, 0, true);
    }

    /** SplitMix64's finalizer. */
    private static long mix(long x) {
        long z = x;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
