package io.parallelix.node.daemon.protocol;

import io.parallelix.node.gpu.GenerationInput;
import io.parallelix.node.gpu.sampling.SamplingParams;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A POST /v1/completions or /v1/chat/completions request after decoding: well-formed, not yet
 * checked against its model. {@code sampling} has its seed resolved (the request's, else
 * {@link SamplingParams#seedFromRequestId}). {@code maxTokens} 0: not asked for (the runner picks
 * the default); {@code maxTokensField} is the name the client used for it, which errors name.
 * {@code topLogprobs}: logprobs were asked for (completions' integer {@code logprobs}, chat's
 * {@code logprobs: true}), with that many alternatives.
 */
public record CompletionsRequest(
        String requestId,
        String model,
        Api api,
        GenerationInput input,
        SamplingParams sampling,
        int maxTokens,
        String maxTokensField,
        int n,
        List<String> stop,
        boolean stream,
        boolean includeUsage)
        implements Task {

    /** Which OpenAI API the request came through: the text or the chat completions. */
    public enum Api {
        COMPLETIONS("prompt"),
        CHAT("messages");

        private final String promptField;

        Api(String promptField) {
            this.promptField = promptField;
        }

        /** The field that holds the prompt: errors about its length name it. */
        public String promptField() {
            return promptField;
        }
    }

    public CompletionsRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(model, "model");
        stop = List.copyOf(stop);
        if (maxTokens < 0 || n < 1 || (includeUsage && !stream)) {
            throw new IllegalArgumentException("maxTokens >= 0, n >= 1, include_usage only when streaming");
        }
        if ((api == Api.CHAT) != (input instanceof GenerationInput.Chat)) {
            throw new IllegalArgumentException("chat completions take messages, completions a prompt");
        }
    }

    /** No pin on this path: the answer's pxnode.model_sha256 says which weights ran. */
    @Override
    public @Nullable String modelSha256() {
        return null;
    }
}
