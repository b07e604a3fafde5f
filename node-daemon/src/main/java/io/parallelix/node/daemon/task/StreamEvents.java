package io.parallelix.node.daemon.task;

import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.CompletionsRequest;
import io.parallelix.node.daemon.protocol.GenerationJson;
import io.parallelix.node.daemon.service.TaskContext;
import io.parallelix.node.gpu.GeneratedToken;
import io.parallelix.node.gpu.GenerationResult;
import java.time.Clock;
import org.jspecify.annotations.Nullable;

/**
 * A streamed generation's events, written to the sink as each token arrives (one emit per token:
 * chat's role event before a choice's first token, the token's event, and after a choice's last
 * token its finish event), so the signed result is exactly these bytes and the last piece. The
 * first event carries {@code pxnode}: the model's digest and the prompt's token ids.
 */
final class StreamEvents extends TokenListener {
    private final GenerationJson.Head head;
    private final TaskContext context;
    private boolean opened;

    StreamEvents(GenerationJson.Head head, TaskContext context, NodeMetrics metrics, Clock clock) {
        super(context, metrics, clock);
        this.head = head;
        this.context = context;
    }

    @Override
    void onToken(GeneratedToken t, boolean firstOfChoice, int offset) {
        StringBuilder events = new StringBuilder(256);
        try {
            if (firstOfChoice && head.api() == CompletionsRequest.Api.CHAT) {
                GenerationJson.roleEvent(events, head, t.choice(), first());
            }
            GenerationJson.tokenEvent(events, head, t.choice(), t.text(), t.id(), t.logprobs(), offset, first());
        } catch (IllegalArgumentException nan) {
            throw new ApiException.Internal(
                    "model_failed",
                    "model '" + head.model() + "' produced an invalid logprob: " + nan.getMessage(),
                    null);
        }
        if (t.finish() != null) {
            GenerationJson.finishEvent(events, head, t.choice(), t.finish());
        }
        context.sink().emit(GenerationJson.utf8(events));
    }

    /** The pxnode facts for the stream's very first event, then null. */
    private GenerationJson.@Nullable Pxnode first() {
        if (opened) {
            return null;
        }
        opened = true;
        int[] ids = promptIds;
        String sha = modelSha256;
        if (ids == null || sha == null) {
            throw new IllegalStateException("the engine reported a token before started()");
        }
        return new GenerationJson.Pxnode(sha, ids);
    }

    /** The last piece: include_usage's event, or nothing. */
    byte[] last(GenerationResult r) {
        if (!opened) { // every choice ends on a token: a stream without one is the engine's fault
            throw new ApiException.Internal("model_failed", "the generation produced no token", null);
        }
        if (!head.usage()) {
            return new byte[0];
        }
        StringBuilder event = new StringBuilder(160);
        GenerationJson.usageEvent(event, head, r.promptIds().length, r.completionTokens());
        return GenerationJson.utf8(event);
    }
}
