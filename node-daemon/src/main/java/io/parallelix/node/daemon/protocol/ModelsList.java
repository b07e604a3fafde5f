package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.parallelix.node.gpu.EmbeddingInfo;
import io.parallelix.node.gpu.GenerationInfo;
import io.parallelix.node.gpu.LoadProgress;
import io.parallelix.node.gpu.ModelInfo;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * GET /v1/models in OpenAI's list shape, with what each model serves. {@code created} is always 0:
 * the node does not know when a model was made (a file's mtime differs between copies, its load
 * time between restarts), and a constant keeps the answer the same on nodes serving the same
 * models. The embedding facts are set for embedding models only; the generation facts
 * (context_length: prompt + output tokens; max_completion_tokens: the most one choice may ask for;
 * chat: whether /v1/chat/completions serves it, i.e. it has a chat template) for generation models only.
 * While the node loads, every model found is listed not ready, with {@code loading} (its stage and
 * the bytes of its digest hashed so far) and without the task and digest it does not know yet.
 */
public record ModelsList(String object, List<Entry> data) {
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Entry(
            String id,
            String object,
            long created,
            String ownedBy,
            @Nullable String task,
            @Nullable String sha256,
            boolean ready,
            @Nullable Integer dimensions,
            @Nullable Integer maxTokens,
            @Nullable Boolean truncatableDimensions,
            @Nullable Integer contextLength,
            @Nullable Integer maxCompletionTokens,
            @Nullable Boolean chat,
            @Nullable Loading loading) {}

    /** A model of a loading node: its stage (LoadStage wire name) and its digest's bytes hashed of total. */
    public record Loading(String stage, long bytesHashed, long bytesTotal) {}

    /** A loading node's list: every model found, none ready. */
    public static ModelsList loading(List<LoadProgress> models) {
        return new ModelsList("list", models.stream().map(ModelsList::loading).toList());
    }

    public static Entry loading(LoadProgress p) {
        return new Entry(
                p.model(),
                "model",
                0,
                "pxnode",
                null,
                null,
                false,
                null,
                null,
                null,
                null,
                null,
                null,
                new Loading(p.stage().wireName(), p.bytesHashed(), p.bytesTotal()));
    }

    public static ModelsList of(List<ModelInfo> models) {
        return new ModelsList("list", models.stream().map(ModelsList::entry).toList());
    }

    public static Entry entry(ModelInfo m) {
        EmbeddingInfo e = m.embedding();
        GenerationInfo g = m.generation();
        return new Entry(
                m.name(),
                "model",
                0,
                "pxnode",
                m.task().wireName(),
                m.sha256(),
                m.ready(),
                e == null ? null : e.dimensions(),
                e == null ? null : e.maxTokens(),
                e == null ? null : e.truncatableDimensions(),
                g == null ? null : g.contextLength(),
                g == null ? null : g.maxNewTokens(),
                g == null ? null : g.chatTemplate(),
                null);
    }
}
