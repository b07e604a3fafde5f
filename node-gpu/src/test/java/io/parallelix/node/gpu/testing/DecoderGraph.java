package io.parallelix.node.gpu.testing;

import io.parallelix.node.gpu.testing.DecoderSpec.Architecture;
import io.parallelix.node.gpu.testing.OnnxGraph.Attribute;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The ONNX graph of a generated decoder with a KV cache, in Optimum's text-generation-with-past
 * form (names, dims and dynamic axis names of optimum/exporters/onnx base.py and config.py;
 * inputs in the order of the HF forward signature, as Optimum's ordered_inputs puts them).
 *
 * <p>Masking: with P = past length, S = input length and T = P + S = attention_mask's length, the
 * query at cache index P + i sees key j iff {@code j <= P + i} and {@code attention_mask[b, j] != 0}.
 * So prefill (P = 0), decode (S = 1) and any padding (left, right, holes) work; positions come from
 * position_ids alone, which the caller supplies. Masked scores become FP32's lowest value, as HF
 * does, so a fully masked row (a left pad's own query) is uniform, never NaN.
 */
final class DecoderGraph {
    private static final int OPSET = 17;

    private final DecoderSpec s;
    private final WeightStore weights;
    private final Set<String> stored = new HashSet<>();
    private final OnnxGraph g;
    private final List<DecoderWeights.Tensor> tensors;
    private int next;

    /** Adds one weight to the graph as an initializer named {@link DecoderWeights.Tensor#onnxName()}. */
    interface WeightStore {
        void add(OnnxGraph graph, DecoderWeights.Tensor tensor);
    }

    private DecoderGraph(DecoderSpec spec, WeightStore weights) {
        this.s = spec;
        this.weights = weights;
        this.g = new OnnxGraph(spec.name());
        this.tensors = DecoderWeights.of(spec);
    }

    /** The serialized model; each weight goes through {@code weights} once. */
    static byte[] build(DecoderSpec spec, WeightStore weights) {
        return new DecoderGraph(spec, weights).model();
    }

    private byte[] model() {
        declareInputsAndOutputs();
        constants();
        String mask = mask();
        @Nullable Rotary rotary = s.architecture() == Architecture.LLAMA ? rotary() : null;
        String x = s.architecture() == Architecture.GPT2
                ? op(
                        "Add",
                        gather(weight("transformer.wte.weight"), "input_ids"),
                        gather(weight("transformer.wpe.weight"), "position_ids"))
                : gather(weight("model.embed_tokens.weight"), "input_ids");
        DecoderLayer layer = new DecoderLayer(this, s, mask, rotary);
        for (int i = 0; i < s.layers(); i++) {
            x = layer.apply(i, x);
        }
        String h = s.architecture() == Architecture.GPT2
                ? layerNorm(x, "transformer.ln_f")
                : rmsNorm(x, "model.norm.weight");
        String head = s.tiedEmbeddings()
                ? op("Transpose", List.of(weight(embedding())), Attribute.ints("perm", 1, 0))
                : weight("lm_head.weight");
        g.node("MatMul", List.of(h, head), List.of("logits"));
        return g.toModel(OPSET);
    }

    private void declareInputsAndOutputs() {
        g.input("input_ids", OnnxGraph.INT64, "batch_size", "sequence_length");
        if (s.architecture() == Architecture.GPT2) { // GPT2LMHeadModel.forward(input_ids, past_key_values, ...)
            declarePast();
            g.input("attention_mask", OnnxGraph.INT64, "batch_size", "past_sequence_length + sequence_length");
            g.input("position_ids", OnnxGraph.INT64, "batch_size", "sequence_length");
        } else {
            g.input("attention_mask", OnnxGraph.INT64, "batch_size", "past_sequence_length + sequence_length");
            g.input("position_ids", OnnxGraph.INT64, "batch_size", "sequence_length");
            declarePast();
        }
        g.output("logits", OnnxGraph.FLOAT, "batch_size", "sequence_length", s.vocabSize());
        for (int i = 0; i < s.layers(); i++) {
            for (String kind : List.of("key", "value")) {
                g.output(
                        "present." + i + "." + kind,
                        kvType(),
                        "batch_size",
                        s.kvHeads(),
                        "past_sequence_length + sequence_length",
                        s.headDim());
            }
        }
    }

    private void declarePast() {
        for (int i = 0; i < s.layers(); i++) {
            for (String kind : List.of("key", "value")) {
                g.input(
                        "past_key_values." + i + "." + kind,
                        kvType(),
                        "batch_size",
                        s.kvHeads(),
                        "past_sequence_length",
                        s.headDim());
            }
        }
    }

    int kvType() {
        return s.kvFp16() ? OnnxGraph.FLOAT16 : OnnxGraph.FLOAT;
    }

    private void constants() {
        g.longs("c.zero", new long[0], 0).longs("c.one", new long[0], 1);
        g.longs("c.axes1", new long[] {1}, 1).longs("c.axes12", new long[] {2}, 1, 2);
        g.floats("c.lowest", new long[0], -Float.MAX_VALUE);
        g.floats("c.scale", new long[0], (float) (1 / Math.sqrt(s.headDim())));
        if (s.architecture() == Architecture.LLAMA) {
            g.longs("c.axes2", new long[] {1}, 2);
            g.floats("c.eps", new long[0], (float) s.normEps());
        }
    }

    /** [batch, 1, S, T] BOOL: which keys each query may see. */
    private String mask() {
        String seq = op("Gather", List.of(op("Shape", List.of("input_ids")), "c.one"));
        String total = op("Gather", List.of(op("Shape", List.of("attention_mask")), "c.one"));
        String past = op("Sub", List.of(total, seq));
        String queries = op("Add", List.of(op("Range", List.of("c.zero", seq, "c.one")), past));
        String keys = op("Range", List.of("c.zero", total, "c.one"));
        String causal = op("LessOrEqual", List.of(keys, op("Unsqueeze", List.of(queries, "c.axes1"))));
        String padding = op("Cast", List.of("attention_mask"), Attribute.of("to", OnnxGraph.BOOL));
        return op("And", List.of(causal, op("Unsqueeze", List.of(padding, "c.axes12"))));
    }

    /** cos and sin [batch, 1, S, head_dim] of HF's default rotary embedding. */
    record Rotary(String cos, String sin) {}

    private Rotary rotary() {
        int half = s.headDim() / 2;
        float[] inv = new float[half];
        for (int i = 0; i < half; i++) {
            inv[i] = (float) (1 / Math.pow(s.ropeTheta(), 2.0 * i / s.headDim()));
        }
        g.floats("rotary.inv_freq", new long[] {half}, inv);
        String pos = op(
                "Unsqueeze",
                List.of(op("Cast", List.of("position_ids"), Attribute.of("to", OnnxGraph.FLOAT)), "c.axes2"));
        String freqs = op("Mul", List.of(pos, "rotary.inv_freq"));
        String emb = op("Concat", List.of(freqs, freqs), Attribute.of("axis", -1));
        return new Rotary(
                op("Unsqueeze", List.of(op("Cos", List.of(emb)), "c.axes1")),
                op("Unsqueeze", List.of(op("Sin", List.of(emb)), "c.axes1")));
    }

    private String embedding() {
        return s.architecture() == Architecture.GPT2 ? "transformer.wte.weight" : "model.embed_tokens.weight";
    }

    // --- helpers the layers share ---

    String weight(String hfName) {
        for (DecoderWeights.Tensor t : tensors) {
            if (t.name().equals(hfName)) {
                if (stored.add(hfName)) {
                    weights.add(g, t);
                }
                return t.onnxName();
            }
        }
        throw new IllegalStateException("no weight " + hfName);
    }

    String op(String type, List<String> inputs, Attribute... attributes) {
        String out = type.toLowerCase(Locale.ROOT) + "_" + next++;
        g.node(type, inputs, List.of(out), attributes);
        return out;
    }

    String op(String type, String a, String b) {
        return op(type, List.of(a, b));
    }

    void node(String type, List<String> inputs, List<String> outputs, Attribute... attributes) {
        g.node(type, inputs, outputs, attributes);
    }

    OnnxGraph graph() {
        return g;
    }

    String gather(String table, String ids) {
        return op("Gather", List.of(table, ids));
    }

    String layerNorm(String x, String prefix) {
        return op(
                "LayerNormalization",
                List.of(x, weight(prefix + ".weight"), weight(prefix + ".bias")),
                Attribute.of("axis", -1),
                Attribute.ofFloat("epsilon", (float) s.normEps()));
    }

    /** HF LlamaRMSNorm: x / sqrt(mean(x^2) + eps) * weight. */
    String rmsNorm(String x, String weightName) {
        String meanSquare =
                op("ReduceMean", List.of(op("Mul", x, x)), Attribute.ints("axes", -1), Attribute.of("keepdims", 1));
        return op("Mul", op("Div", x, op("Sqrt", List.of(op("Add", meanSquare, "c.eps")))), weight(weightName));
    }
}
