package io.parallelix.node.gpu.testing;

import java.util.List;
import java.util.function.Consumer;

/**
 * The shape of one generated decoder-only test model (see {@link TestDecoders}). Immutable; each
 * {@code with...} returns a copy. Token ids: 0..255 are the 256 byte tokens, then BPE merges, then
 * the special tokens, so that the tokenizer's vocabulary is exactly {@code vocabSize}.
 *
 * @param intermediateSize the MLP width (GPT-2's n_inner, Llama's intermediate_size)
 * @param maxPositions GPT-2's n_positions (rows of the position table), Llama's
 *     max_position_embeddings
 * @param ropeTheta Llama only; the rotary base
 * @param normEps GPT-2's layer_norm_epsilon, Llama's rms_norm_eps
 * @param tiedEmbeddings the logits use the token embedding (one initializer), no separate lm_head
 * @param kvFp16 past_key_values and present are FLOAT16 (the graph computes in FP32 and rounds
 *     every key and value to FP16 before attention, so the cache holds exactly what was used)
 * @param modelPath "model.onnx" (Optimum's layout) or "onnx/model.onnx" (transformers.js' layout)
 * @param externalData weights in {@code <model>.onnx_data} beside the graph instead of inline
 * @param referenceWeights also write {@link TestDecoders#REFERENCE_WEIGHTS} for
 *     scripts/decoder_reference.py (the node ignores that file)
 */
public record DecoderSpec(
        String name,
        Architecture architecture,
        int vocabSize,
        int hiddenSize,
        int layers,
        int heads,
        int kvHeads,
        int intermediateSize,
        int maxPositions,
        double ropeTheta,
        double normEps,
        boolean tiedEmbeddings,
        boolean kvFp16,
        long seed,
        String modelPath,
        boolean externalData,
        boolean referenceWeights) {

    public enum Architecture {
        /** Learned positions, LayerNorm, multi-head attention, gelu_new MLP, biases. */
        GPT2,
        /** Rotary positions, RMSNorm, grouped-query attention, SwiGLU MLP, no biases. */
        LLAMA
    }

    private static final List<String> GPT2_SPECIALS = List.of("<|endoftext|>");
    private static final List<String> LLAMA_SPECIALS =
            List.of("<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>");

    public DecoderSpec {
        check(name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,127}"), "name '" + name + "' is not a model name");
        check(hiddenSize > 0 && layers > 0 && heads > 0 && kvHeads > 0 && intermediateSize > 0, "sizes must be > 0");
        check(hiddenSize % heads == 0, "hiddenSize " + hiddenSize + " is not a multiple of heads " + heads);
        check(heads % kvHeads == 0, "heads " + heads + " is not a multiple of kvHeads " + kvHeads);
        check(architecture == Architecture.LLAMA || kvHeads == heads, "GPT-2 attention has kvHeads == heads");
        check(architecture == Architecture.GPT2 || (hiddenSize / heads) % 2 == 0, "rotary needs an even head_dim");
        int specials = (architecture == Architecture.GPT2 ? GPT2_SPECIALS : LLAMA_SPECIALS).size();
        check(vocabSize >= 256 + specials && vocabSize <= 1 << 20, "vocabSize " + vocabSize + " out of [261, 2^20]");
        check(maxPositions > 0 && ropeTheta > 0 && normEps > 0, "maxPositions, ropeTheta and normEps must be > 0");
        check(modelPath.equals("model.onnx") || modelPath.equals("onnx/model.onnx"), "modelPath " + modelPath);
    }

    public int headDim() {
        return hiddenSize / heads;
    }

    /** The special tokens, in id order; they take the last ids of the vocabulary. */
    public List<String> specialTokens() {
        return architecture == Architecture.GPT2 ? GPT2_SPECIALS : LLAMA_SPECIALS;
    }

    public int specialTokenId(String token) {
        int i = specialTokens().indexOf(token);
        check(i >= 0, "no special token " + token);
        return vocabSize - specialTokens().size() + i;
    }

    /** GPT-2: {@code <|endoftext|>}; Llama: {@code <|begin_of_text|>}. */
    public int bosTokenId() {
        return vocabSize - specialTokens().size();
    }

    /**
     * generation_config.json's eos ids. GPT-2: {@code <|endoftext|>}. Llama (as Llama-3-Instruct):
     * {@code <|end_of_text|>} and {@code <|eot_id|>}; config.json names {@code <|eot_id|>} alone.
     */
    public List<Integer> eosTokenIds() {
        return architecture == Architecture.GPT2
                ? List.of(bosTokenId())
                : List.of(specialTokenId("<|end_of_text|>"), specialTokenId("<|eot_id|>"));
    }

    /** The number of weights (a tied embedding counted once). */
    public long parameterCount() {
        long h = hiddenSize;
        long kv = (long) kvHeads * headDim();
        long embed = (long) vocabSize * h + (tiedEmbeddings ? 0 : (long) vocabSize * h);
        if (architecture == Architecture.GPT2) {
            long layer = 4 * h
                    + (h * 3 * h + 3 * h)
                    + (h * h + h)
                    + (h * intermediateSize + intermediateSize)
                    + ((long) intermediateSize * h + h);
            return embed + (long) maxPositions * h + layers * layer + 2 * h;
        }
        long layer = 2 * h + h * h + 2 * h * kv + h * h + 3 * h * intermediateSize;
        return embed + layers * layer + h;
    }

    public DecoderSpec withName(String n) {
        return edit(f -> f.name = n);
    }

    public DecoderSpec withSeed(long s) {
        return edit(f -> f.seed = s);
    }

    public DecoderSpec withVocabSize(int v) {
        return edit(f -> f.vocabSize = v);
    }

    /** Hidden size, layers, heads, KV heads and MLP width together (they constrain each other). */
    public DecoderSpec withSize(int hidden, int layerCount, int headCount, int kvHeadCount, int intermediate) {
        return edit(f -> {
            f.hiddenSize = hidden;
            f.layers = layerCount;
            f.heads = headCount;
            f.kvHeads = kvHeadCount;
            f.intermediateSize = intermediate;
        });
    }

    public DecoderSpec withMaxPositions(int p) {
        return edit(f -> f.maxPositions = p);
    }

    public DecoderSpec withTiedEmbeddings(boolean tied) {
        return edit(f -> f.tiedEmbeddings = tied);
    }

    public DecoderSpec withKvFp16(boolean fp16) {
        return edit(f -> f.kvFp16 = fp16);
    }

    public DecoderSpec withModelPath(String path) {
        return edit(f -> f.modelPath = path);
    }

    public DecoderSpec withExternalData(boolean external) {
        return edit(f -> f.externalData = external);
    }

    public DecoderSpec withReferenceWeights(boolean write) {
        return edit(f -> f.referenceWeights = write);
    }

    private DecoderSpec edit(Consumer<Fields> change) {
        Fields f = new Fields(this);
        change.accept(f);
        return new DecoderSpec(
                f.name,
                architecture,
                f.vocabSize,
                f.hiddenSize,
                f.layers,
                f.heads,
                f.kvHeads,
                f.intermediateSize,
                f.maxPositions,
                ropeTheta,
                normEps,
                f.tiedEmbeddings,
                f.kvFp16,
                f.seed,
                f.modelPath,
                f.externalData,
                f.referenceWeights);
    }

    /** A mutable copy for the withers; the canonical constructor validates the result. */
    private static final class Fields {
        String name;
        int vocabSize;
        int hiddenSize;
        int layers;
        int heads;
        int kvHeads;
        int intermediateSize;
        int maxPositions;
        boolean tiedEmbeddings;
        boolean kvFp16;
        long seed;
        String modelPath;
        boolean externalData;
        boolean referenceWeights;

        Fields(DecoderSpec s) {
            name = s.name;
            vocabSize = s.vocabSize;
            hiddenSize = s.hiddenSize;
            layers = s.layers;
            heads = s.heads;
            kvHeads = s.kvHeads;
            intermediateSize = s.intermediateSize;
            maxPositions = s.maxPositions;
            tiedEmbeddings = s.tiedEmbeddings;
            kvFp16 = s.kvFp16;
            seed = s.seed;
            modelPath = s.modelPath;
            externalData = s.externalData;
            referenceWeights = s.referenceWeights;
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("decoder spec: " + message);
        }
    }
}
