package io.parallelix.node.gpu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * How an embedding model is fed and pooled, read from the directory as Hugging Face exports it
 * (sentence-transformers' modules.json, 1_Pooling/config.json, sentence_bert_config.json;
 * config.json's max_position_embeddings) with config.yaml's {@code embedding:} block on top, and
 * checked against the graph: it must take input_ids (and may take attention_mask, token_type_ids,
 * position_ids) and give token vectors [batch, sequence, hidden] as FP32.
 */
record EmbeddingLayout(
        Pooling pooling,
        boolean normalize,
        int maxTokens,
        boolean truncatableDimensions,
        DataType idType,
        boolean attentionMask,
        boolean tokenTypeIds,
        boolean positionIds,
        String output) {

    static final String INPUT_IDS = "input_ids";
    static final String ATTENTION_MASK = "attention_mask";
    static final String TOKEN_TYPE_IDS = "token_type_ids";
    static final String POSITION_IDS = "position_ids";
    private static final Set<String> KNOWN_INPUTS = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS, POSITION_IDS);
    private static final List<String> OUTPUTS = List.of("last_hidden_state", "token_embeddings");

    static EmbeddingLayout read(
            String model,
            Path dir,
            EmbeddingSettings settings,
            List<TensorSpec> inputs,
            List<TensorSpec> outputs,
            int maxSequence,
            ObjectMapper json)
            throws EngineException {
        Graph graph = graph(model, inputs, outputs);
        SentenceTransformers st = SentenceTransformers.read(model, dir, json);
        Pooling pooling = settings.pooling() != null ? settings.pooling() : st.pooling();
        if (pooling == null) {
            throw new EngineException("model '" + model + "' is an embedding model without a pooling: its directory has"
                    + " no sentence-transformers Pooling module. Fix: set embedding.pooling (mean, cls, max,"
                    + " last_token) in its config.yaml.");
        }
        boolean normalize = settings.normalize() != null ? settings.normalize() : st.normalize();
        int maxTokens = maxTokens(model, settings.maxTokens(), st.maxSeqLength(), positions(dir, json), maxSequence);
        return new EmbeddingLayout(
                pooling,
                normalize,
                maxTokens,
                settings.truncatableDimensions(),
                graph.idType(),
                graph.has(ATTENTION_MASK),
                graph.has(TOKEN_TYPE_IDS),
                graph.has(POSITION_IDS),
                graph.output());
    }

    private record Graph(DataType idType, Set<String> inputs, String output) {
        boolean has(String name) {
            return inputs.contains(name);
        }
    }

    private static Graph graph(String model, List<TensorSpec> inputs, List<TensorSpec> outputs) throws EngineException {
        DataType idType = null;
        List<String> names = new ArrayList<>();
        for (TensorSpec in : inputs) {
            if (!KNOWN_INPUTS.contains(in.name())) {
                throw new EngineException("model '" + model + "' cannot embed text: its graph takes input '"
                        + Echo.clip(in.name()) + "', and an embedding model takes only " + KNOWN_INPUTS
                        + ". Fix: export it with those inputs, or set task: tensor in its config.yaml.");
            }
            if (in.datatype() != DataType.INT64 && in.datatype() != DataType.INT32) {
                throw new EngineException("model '" + model + "': input '" + in.name() + "' is " + in.datatype()
                        + "; an embedding model's inputs are INT64 or INT32 [batch, sequence].");
            }
            if (in.name().equals(INPUT_IDS)) {
                idType = in.datatype();
            }
            names.add(in.name());
        }
        if (idType == null) {
            throw new EngineException("model '" + model + "' cannot embed text: its graph has no input 'input_ids'."
                    + " Fix: export it with input_ids, or set task: tensor in its config.yaml.");
        }
        String output = outputs.stream()
                .filter(o -> OUTPUTS.contains(o.name()))
                .map(TensorSpec::name)
                .findFirst()
                .orElse(null);
        if (output == null) {
            List<TensorSpec> rank3 = outputs.stream()
                    .filter(o -> o.datatype() == DataType.FP32 && o.shape().size() == 3)
                    .toList();
            if (rank3.size() != 1) {
                throw new EngineException("model '" + model + "' cannot embed text: no output gives token vectors"
                        + " (last_hidden_state or token_embeddings, FP32 [batch, sequence, hidden]). Fix: export"
                        + " the transformer's last hidden state, or set task: tensor in its config.yaml.");
            }
            output = rank3.get(0).name();
        }
        String name = output;
        TensorSpec spec =
                outputs.stream().filter(o -> o.name().equals(name)).findFirst().orElseThrow();
        if (spec.datatype() != DataType.FP32 || spec.shape().size() != 3) {
            throw new EngineException("model '" + model + "': output '" + name + "' is " + spec.datatype()
                    + spec.shape() + "; token vectors must be FP32 [batch, sequence, hidden].");
        }
        return new Graph(idType, Set.copyOf(names), name);
    }

    /** The smallest bound that is set; an embedding model must have one. */
    private static int maxTokens(String model, int configured, int stMax, int positions, int maxSequence)
            throws EngineException {
        int max = Integer.MAX_VALUE;
        for (int bound : new int[] {configured, stMax, positions, maxSequence}) {
            if (bound > 0) {
                max = Math.min(max, bound);
            }
        }
        if (max == Integer.MAX_VALUE) {
            throw new EngineException("model '" + model + "': nothing says how many tokens one input may have"
                    + " (sentence_bert_config.json max_seq_length, config.json max_position_embeddings). Fix: set"
                    + " embedding.max_tokens in its config.yaml.");
        }
        return max;
    }

    /** config.json's max_position_embeddings, or 0. */
    private static int positions(Path dir, ObjectMapper json) throws EngineException {
        @Nullable JsonNode config = SentenceTransformers.readJson(dir.resolve("config.json"), json);
        return config == null ? 0 : config.path("max_position_embeddings").asInt(0);
    }
}
