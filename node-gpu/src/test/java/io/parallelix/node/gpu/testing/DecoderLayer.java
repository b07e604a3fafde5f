package io.parallelix.node.gpu.testing;

import io.parallelix.node.gpu.testing.DecoderSpec.Architecture;
import io.parallelix.node.gpu.testing.OnnxGraph.Attribute;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One transformer block of {@link DecoderGraph}, written as HF's modeling code computes it:
 * GPT2Block (ln_1, fused c_attn, c_proj, ln_2, c_fc, gelu_new, c_proj) or LlamaDecoderLayer
 * (RMSNorm, q/k/v/o projections with rotary q and k, repeat_kv for grouped-query attention,
 * SwiGLU). Attention: softmax(q k^T / sqrt(head_dim), masked) v over past + new keys.
 */
final class DecoderLayer {
    private final DecoderGraph g;
    private final DecoderSpec s;
    private final String mask;
    private final DecoderGraph.@Nullable Rotary rotary;

    DecoderLayer(DecoderGraph graph, DecoderSpec spec, String mask, DecoderGraph.@Nullable Rotary rotary) {
        this.g = graph;
        this.s = spec;
        this.mask = mask;
        this.rotary = rotary;
        int d = spec.headDim();
        long h = spec.hiddenSize();
        OnnxGraph o = graph.graph();
        o.longs("c.heads_q", new long[] {4}, 0, 0, spec.heads(), d);
        o.longs("c.heads_kv", new long[] {4}, 0, 0, spec.kvHeads(), d);
        o.longs("c.merge", new long[] {3}, 0, 0, (long) spec.heads() * d);
        if (spec.heads() != spec.kvHeads()) {
            o.longs("c.repeat", new long[] {5}, 1, 1, spec.heads() / spec.kvHeads(), 1, 1);
            o.longs("c.repeated", new long[] {4}, 0, spec.heads(), -1, d);
        }
        if (spec.architecture() == Architecture.GPT2) {
            o.longs("c.split", new long[] {3}, h, h, h);
            o.floats("c.gelu_half", new long[0], 0.5f).floats("c.gelu_one", new long[0], 1f);
            o.floats("c.gelu_cubic", new long[0], 0.044715f);
            o.floats("c.gelu_scale", new long[0], (float) Math.sqrt(2 / Math.PI));
        } else {
            o.longs("c.first", new long[] {1}, 0).longs("c.middle", new long[] {1}, d / 2);
            o.longs("c.last", new long[] {1}, d).longs("c.axis3", new long[] {1}, 3);
        }
    }

    String apply(int layer, String x) {
        return s.architecture() == Architecture.GPT2 ? gpt2(layer, x) : llama(layer, x);
    }

    private String gpt2(int layer, String x) {
        String p = "transformer.h." + layer + ".";
        String qkv = affine(g.layerNorm(x, p + "ln_1"), p + "attn.c_attn");
        String q = "l" + layer + ".q";
        String k = "l" + layer + ".k";
        String v = "l" + layer + ".v";
        g.node("Split", List.of(qkv, "c.split"), List.of(q, k, v), Attribute.of("axis", 2));
        String attended = g.op("Add", x, affine(attention(layer, q, k, v), p + "attn.c_proj"));
        String hidden = geluNew(affine(g.layerNorm(attended, p + "ln_2"), p + "mlp.c_fc"));
        return g.op("Add", attended, affine(hidden, p + "mlp.c_proj"));
    }

    private String llama(int layer, String x) {
        String p = "model.layers." + layer + ".";
        String h = g.rmsNorm(x, p + "input_layernorm.weight");
        String attention = attention(
                layer,
                linear(h, p + "self_attn.q_proj"),
                linear(h, p + "self_attn.k_proj"),
                linear(h, p + "self_attn.v_proj"));
        String attended = g.op("Add", x, linear(attention, p + "self_attn.o_proj"));
        String h2 = g.rmsNorm(attended, p + "post_attention_layernorm.weight");
        String gate = linear(h2, p + "mlp.gate_proj");
        String swiglu = g.op("Mul", g.op("Mul", gate, g.op("Sigmoid", List.of(gate))), linear(h2, p + "mlp.up_proj"));
        return g.op("Add", attended, linear(swiglu, p + "mlp.down_proj"));
    }

    /** q [B,S,heads*D], k and v [B,S,kv_heads*D] -> [B,S,heads*D]; writes present.{layer}.*. */
    private String attention(int layer, String q, String k, String v) {
        String qh = heads(q, "c.heads_q");
        String kh = heads(k, "c.heads_kv");
        String vh = heads(v, "c.heads_kv");
        if (rotary != null) {
            qh = rotate(qh, rotary);
            kh = rotate(kh, rotary);
        }
        String keys = cache(layer, "key", kh);
        String values = cache(layer, "value", vh);
        if (s.heads() != s.kvHeads()) { // HF repeat_kv: head h reads kv head h / (heads / kv_heads)
            keys = repeat(keys);
            values = repeat(values);
        }
        String scores = g.op(
                "Mul",
                g.op("MatMul", qh, g.op("Transpose", List.of(keys), Attribute.ints("perm", 0, 1, 3, 2))),
                "c.scale");
        String masked = g.op("Where", List.of(mask, scores, "c.lowest"));
        String probs = g.op("Softmax", List.of(masked), Attribute.of("axis", -1));
        String out = g.op("Transpose", List.of(g.op("MatMul", probs, values)), Attribute.ints("perm", 0, 2, 1, 3));
        return g.op("Reshape", out, "c.merge");
    }

    /** Concat(past, new) as present.{layer}.{kind}; FP16 caches hold (and attention uses) rounded values. */
    private String cache(int layer, String kind, String fresh) {
        String present = "present." + layer + "." + kind;
        String stored = s.kvFp16() ? g.op("Cast", List.of(fresh), Attribute.of("to", OnnxGraph.FLOAT16)) : fresh;
        g.node(
                "Concat",
                List.of("past_key_values." + layer + "." + kind, stored),
                List.of(present),
                Attribute.of("axis", 2));
        return s.kvFp16() ? g.op("Cast", List.of(present), Attribute.of("to", OnnxGraph.FLOAT)) : present;
    }

    private String heads(String x, String shape) {
        return g.op("Transpose", List.of(g.op("Reshape", x, shape)), Attribute.ints("perm", 0, 2, 1, 3));
    }

    private String repeat(String kv) {
        String expanded = g.op("Expand", g.op("Unsqueeze", kv, "c.axes2"), "c.repeat");
        return g.op("Reshape", expanded, "c.repeated");
    }

    /** HF apply_rotary_pos_emb: x * cos + rotate_half(x) * sin, rotate_half(x) = [-x2, x1]. */
    private String rotate(String x, DecoderGraph.Rotary r) {
        String x1 = g.op("Slice", List.of(x, "c.first", "c.middle", "c.axis3"));
        String x2 = g.op("Slice", List.of(x, "c.middle", "c.last", "c.axis3"));
        String half = g.op("Concat", List.of(g.op("Neg", List.of(x2)), x1), Attribute.of("axis", -1));
        return g.op("Add", g.op("Mul", x, r.cos()), g.op("Mul", half, r.sin()));
    }

    /** GPT-2's Conv1D: x @ W[in, out] + b. */
    private String affine(String x, String prefix) {
        return g.op("Add", g.op("MatMul", x, g.weight(prefix + ".weight")), g.weight(prefix + ".bias"));
    }

    /** nn.Linear without bias: x @ W^T, W^T stored as the initializer. */
    private String linear(String x, String prefix) {
        return g.op("MatMul", x, g.weight(prefix + ".weight"));
    }

    /** HF NewGELUActivation (GPT-2's gelu_new): 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    private String geluNew(String x) {
        String cube = g.op("Mul", g.op("Mul", x, x), x);
        String inner = g.op("Mul", g.op("Add", x, g.op("Mul", cube, "c.gelu_cubic")), "c.gelu_scale");
        String tanh = g.op("Tanh", List.of(inner));
        return g.op("Mul", g.op("Mul", x, "c.gelu_half"), g.op("Add", tanh, "c.gelu_one"));
    }
}
