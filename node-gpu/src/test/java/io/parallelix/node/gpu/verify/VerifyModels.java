package io.parallelix.node.gpu.verify;

import io.parallelix.node.gpu.testing.OnnxGraph;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * Generated models for the verification evidence: one architecture per task kind whose weights
 * come from a seed and pass through a {@link Weights} transform, so the honest model, a model with
 * other weights, a perturbed one and an fp16-rounded one are the same graph with other numbers.
 */
final class VerifyModels {
    static final int MLP_IN = 128;
    static final int MLP_HIDDEN = 512;
    static final int MLP_OUT = 64;
    static final int ENC_DIM = 64;
    static final int ENC_FFN = 128;
    static final int VOCAB = 30522; // MiniLM's tokenizer, which the embedding directory carries

    /** What happens to every generated weight: the cheats are transforms of the honest weights. */
    interface Weights {
        float apply(float w);

        static Weights honest() {
            return w -> w;
        }

        /** Each weight times (1 + fraction * N(0, 1)): the stand-in for a quantised copy. */
        static Weights perturbed(double fraction, long seed) {
            Random noise = new Random(seed);
            return w -> (float) (w * (1 + fraction * noise.nextGaussian()));
        }

        /** Each weight rounded to binary16 and back: an fp16 copy served as fp32. */
        static Weights fp16() {
            return w -> Float.float16ToFloat(Float.floatToFloat16(w));
        }
    }

    private VerifyModels() {}

    /**
     * Tensor model NAME: x FP32 [batch, 128] -> Relu(x W1 + b1) W2 + b2 = logits FP32 [batch, 64];
     * probs = Softmax(logits); label = ArgMax(logits) INT64 [batch]; logits_f16 and probs_bf16 the
     * same values cast to F16 and BF16. {@code splitK}: x W1 computed as two half sums added, the
     * same function with another accumulation order (what another kernel or GPU does).
     */
    static Path writeMlp(Path modelsDir, String name, long seed, Weights weights, boolean splitK) {
        Random random = new Random(seed);
        byte[] w1 = gaussian(random, MLP_IN * MLP_HIDDEN, 1 / Math.sqrt(MLP_IN), weights);
        byte[] b1 = gaussian(random, MLP_HIDDEN, 0.1, weights);
        byte[] w2 = gaussian(random, MLP_HIDDEN * MLP_OUT, 3 / Math.sqrt(MLP_HIDDEN), weights);
        byte[] b2 = gaussian(random, MLP_OUT, 0.1, weights);
        OnnxGraph g = new OnnxGraph(name)
                .input("x", OnnxGraph.FLOAT, "batch", MLP_IN)
                .output("logits", OnnxGraph.FLOAT, "batch", MLP_OUT)
                .output("probs", OnnxGraph.FLOAT, "batch", MLP_OUT)
                .output("label", OnnxGraph.INT64, "batch")
                .output("logits_f16", OnnxGraph.FLOAT16, "batch", MLP_OUT)
                .output("probs_bf16", OnnxGraph.BFLOAT16, "batch", MLP_OUT)
                .initializer("b1", OnnxGraph.FLOAT, new long[] {MLP_HIDDEN}, b1)
                .initializer("w2", OnnxGraph.FLOAT, new long[] {MLP_HIDDEN, MLP_OUT}, w2)
                .initializer("b2", OnnxGraph.FLOAT, new long[] {MLP_OUT}, b2);
        long[] w1Dims = {MLP_IN, MLP_HIDDEN};
        if (splitK) {
            // Rows of the other half zeroed: each product sums one half exactly, then the halves are added.
            g.initializer("w1a", OnnxGraph.FLOAT, w1Dims, zeroRows(w1, MLP_HIDDEN, 0, MLP_IN / 2))
                    .initializer("w1b", OnnxGraph.FLOAT, w1Dims, zeroRows(w1, MLP_HIDDEN, MLP_IN / 2, MLP_IN))
                    .node("MatMul", List.of("x", "w1a"), List.of("ha"))
                    .node("MatMul", List.of("x", "w1b"), List.of("hb"))
                    .node("Add", List.of("ha", "hb"), List.of("h"));
        } else {
            g.initializer("w1", OnnxGraph.FLOAT, w1Dims, w1).node("MatMul", List.of("x", "w1"), List.of("h"));
        }
        g.node("Add", List.of("h", "b1"), List.of("h1"))
                .node("Relu", List.of("h1"), List.of("r"))
                .node("MatMul", List.of("r", "w2"), List.of("z"))
                .node("Add", List.of("z", "b2"), List.of("logits"))
                .node("Softmax", List.of("logits"), List.of("probs"))
                .node(
                        "ArgMax",
                        List.of("logits"),
                        List.of("label"),
                        OnnxGraph.Attribute.of("axis", 1),
                        OnnxGraph.Attribute.of("keepdims", 0))
                .node("Cast", List.of("logits"), List.of("logits_f16"), OnnxGraph.Attribute.of("to", OnnxGraph.FLOAT16))
                .node(
                        "Cast",
                        List.of("probs"),
                        List.of("probs_bf16"),
                        OnnxGraph.Attribute.of("to", OnnxGraph.BFLOAT16));
        return TestModels.writeModel(modelsDir, name, g.toModel(17));
    }

    /**
     * Embedding model NAME, a one-layer encoder as sentence-transformers exports it (mean pooling,
     * normalised; MiniLM's tokenizer): X = E[input_ids]; one head of self-attention masked by
     * attention_mask; residual; Relu feed-forward; residual = last_hidden_state [batch, seq, 64].
     * {@code splitK}: the feed-forward's first product as two half sums added (as for the MLP).
     */
    static Path writeEncoder(Path modelsDir, String name, long seed, Weights weights, boolean splitK) {
        Random random = new Random(seed);
        long[] square = {ENC_DIM, ENC_DIM};
        long[] f1Dims = {ENC_DIM, ENC_FFN};
        byte[] f1 = gaussian(random, ENC_DIM * ENC_FFN, 1 / Math.sqrt(ENC_DIM), weights);
        OnnxGraph g = new OnnxGraph(name)
                .input("input_ids", OnnxGraph.INT64, "batch", "sequence")
                .input("attention_mask", OnnxGraph.INT64, "batch", "sequence")
                .output("last_hidden_state", OnnxGraph.FLOAT, "batch", "sequence", ENC_DIM)
                .initializer(
                        "emb",
                        OnnxGraph.FLOAT,
                        new long[] {VOCAB, ENC_DIM},
                        gaussian(random, VOCAB * ENC_DIM, 1, weights))
                .initializer(
                        "wq",
                        OnnxGraph.FLOAT,
                        square,
                        gaussian(random, ENC_DIM * ENC_DIM, 1 / Math.sqrt(ENC_DIM), weights))
                .initializer(
                        "wk",
                        OnnxGraph.FLOAT,
                        square,
                        gaussian(random, ENC_DIM * ENC_DIM, 1 / Math.sqrt(ENC_DIM), weights))
                .initializer(
                        "wv",
                        OnnxGraph.FLOAT,
                        square,
                        gaussian(random, ENC_DIM * ENC_DIM, 1 / Math.sqrt(ENC_DIM), weights))
                .initializer(
                        "wo",
                        OnnxGraph.FLOAT,
                        square,
                        gaussian(random, ENC_DIM * ENC_DIM, 1 / Math.sqrt(ENC_DIM), weights))
                .initializer(
                        "f2",
                        OnnxGraph.FLOAT,
                        new long[] {ENC_FFN, ENC_DIM},
                        gaussian(random, ENC_FFN * ENC_DIM, 1 / Math.sqrt(ENC_FFN), weights))
                .floats("scale", new long[0], (float) (1 / Math.sqrt(ENC_DIM)))
                .floats("one", new long[0], 1f)
                .floats("minus_big", new long[0], -1e4f)
                .longs("axis1", new long[] {1}, 1)
                .node("Gather", List.of("emb", "input_ids"), List.of("x"))
                .node("MatMul", List.of("x", "wq"), List.of("q"))
                .node("MatMul", List.of("x", "wk"), List.of("k"))
                .node("MatMul", List.of("x", "wv"), List.of("v"))
                .node("Transpose", List.of("k"), List.of("kt"), OnnxGraph.Attribute.ints("perm", 0, 2, 1))
                .node("MatMul", List.of("q", "kt"), List.of("s0"))
                .node("Mul", List.of("s0", "scale"), List.of("s1"))
                .node(
                        "Cast",
                        List.of("attention_mask"),
                        List.of("maskf"),
                        OnnxGraph.Attribute.of("to", OnnxGraph.FLOAT))
                .node("Sub", List.of("one", "maskf"), List.of("masked"))
                .node("Mul", List.of("masked", "minus_big"), List.of("bias0"))
                .node("Unsqueeze", List.of("bias0", "axis1"), List.of("bias"))
                .node("Add", List.of("s1", "bias"), List.of("s"))
                .node("Softmax", List.of("s"), List.of("p"))
                .node("MatMul", List.of("p", "v"), List.of("a"))
                .node("MatMul", List.of("a", "wo"), List.of("ao"))
                .node("Add", List.of("x", "ao"), List.of("h"));
        if (splitK) {
            g.initializer("f1a", OnnxGraph.FLOAT, f1Dims, zeroRows(f1, ENC_FFN, 0, ENC_DIM / 2))
                    .initializer("f1b", OnnxGraph.FLOAT, f1Dims, zeroRows(f1, ENC_FFN, ENC_DIM / 2, ENC_DIM))
                    .node("MatMul", List.of("h", "f1a"), List.of("ua"))
                    .node("MatMul", List.of("h", "f1b"), List.of("ub"))
                    .node("Add", List.of("ua", "ub"), List.of("u"));
        } else {
            g.initializer("f1", OnnxGraph.FLOAT, f1Dims, f1).node("MatMul", List.of("h", "f1"), List.of("u"));
        }
        g.node("Relu", List.of("u"), List.of("ur"))
                .node("MatMul", List.of("ur", "f2"), List.of("d"))
                .node("Add", List.of("h", "d"), List.of("last_hidden_state"));
        Path dir = TestModels.writeModel(modelsDir, name, g.toModel(17));
        try {
            try (InputStream in = VerifyModels.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
                if (in == null) {
                    throw new IllegalStateException("all-minilm-l6-v2-tokenizer.json is not on the test class path");
                }
                Files.copy(in, dir.resolve("tokenizer.json"));
            }
            Files.createDirectories(dir.resolve("1_Pooling"));
            Files.createDirectories(dir.resolve("2_Normalize"));
            Files.writeString(dir.resolve("modules.json"), """
                    [{"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
                     {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
                     {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"}]
                    """);
            Files.writeString(dir.resolve("1_Pooling/config.json"), """
                    {"word_embedding_dimension": 64, "pooling_mode_mean_tokens": true}
                    """);
            Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 128}");
            Files.writeString(dir.resolve("config.yaml"), "limits:\n  max_batch: 32\n  max_sequence: 128\n");
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gaussian(Random random, int count, double std, Weights weights) {
        ByteBuffer b = ByteBuffer.allocate(4 * count).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            b.putFloat(weights.apply((float) (random.nextGaussian() * std)));
        }
        return b.array();
    }

    private static byte[] zeroRows(byte[] matrix, int columns, int from, int to) {
        byte[] out = matrix.clone();
        java.util.Arrays.fill(out, from * columns * 4, to * columns * 4, (byte) 0);
        return out;
    }
}
