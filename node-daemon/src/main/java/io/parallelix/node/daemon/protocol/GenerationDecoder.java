package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.Messages;
import io.parallelix.node.daemon.protocol.CompletionsRequest.Api;
import io.parallelix.node.gpu.GenerationInput;
import io.parallelix.node.gpu.sampling.SamplingParams;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a POST /v1/completions or /v1/chat/completions body (OpenAI's request, plus vLLM's
 * {@code top_k}, {@code min_p} and {@code repetition_penalty}) into a {@link CompletionsRequest},
 * on a worker. What the node cannot honour (tools, response formats, logit_bias, echo, best_of,
 * suffix, images, audio, batches of prompts) is refused by name, never ignored; so are unknown
 * fields, as OpenAI's API and the embeddings decoder do. Null is the field's default everywhere.
 * Every problem is a BadRequest naming the field and carrying the request id. Stateless and
 * thread-safe.
 */
public final class GenerationDecoder {
    /** The fields whose range SamplingParams checks: its messages start with the field's name. */
    private static final Set<String> SAMPLING_FIELDS = Set.of(
            "temperature",
            "top_k",
            "top_p",
            "min_p",
            "repetition_penalty",
            "frequency_penalty",
            "presence_penalty",
            "top_logprobs");

    private final JsonFactory json;
    private final GenerationLimits limits;

    public GenerationDecoder(JsonFactory json, GenerationLimits limits) {
        this.json = json;
        this.limits = limits;
    }

    /** {@code model} is the one {@link ModelPeek} read from the same body. */
    public CompletionsRequest decode(byte[] body, String requestId, String model, Api api) {
        Fields f = new Fields();
        try (JsonParser p = json.createParser(body)) {
            new GenerationReader(p, limits, f, api).read(model);
            return request(f, requestId, model, api);
        } catch (ApiException e) {
            throw e.withRequestId(requestId);
        } catch (StreamConstraintsException e) {
            throw bad(f.at, "exceeds a limit: " + Messages.firstLine(e.getOriginalMessage()), requestId);
        } catch (StreamReadException e) {
            String why = Messages.firstLine(e.getOriginalMessage());
            throw bad(f.at, why.contains("UTF-8") ? "is not valid UTF-8: " + why : "malformed JSON: " + why, requestId);
        } catch (IOException e) {
            throw bad(f.at, "unreadable JSON: " + Messages.firstLine(e.getMessage()), requestId);
        }
    }

    private static CompletionsRequest request(Fields f, String requestId, String model, Api api) {
        GenerationInput input = f.input;
        if (input == null) {
            throw new ApiException.BadRequest(api.promptField(), "is required");
        }
        if (f.maxTokens != null && f.maxCompletionTokens != null) {
            throw new ApiException.BadRequest(
                    "max_completion_tokens", "give max_completion_tokens or max_tokens (its old name), not both");
        }
        if (f.streamOptions && !f.stream) {
            throw new ApiException.BadRequest("stream_options", "is only allowed with \"stream\": true");
        }
        int maxTokens = f.maxCompletionTokens != null ? f.maxCompletionTokens : f.maxTokens != null ? f.maxTokens : 0;
        String maxTokensField = f.maxCompletionTokens != null ? "max_completion_tokens" : "max_tokens";
        return new CompletionsRequest(
                requestId,
                model,
                api,
                input,
                sampling(f, requestId, api),
                maxTokens,
                maxTokensField,
                f.n,
                f.stop,
                f.stream,
                f.includeUsage);
    }

    private static SamplingParams sampling(Fields f, String requestId, Api api) {
        long seed = f.seed != null ? f.seed : SamplingParams.seedFromRequestId(requestId);
        try {
            return new SamplingParams(
                    or(f.temperature, 1.0),
                    f.topK,
                    or(f.topP, 1.0),
                    or(f.minP, 0.0),
                    or(f.repetitionPenalty, 1.0),
                    or(f.frequencyPenalty, 0.0),
                    or(f.presencePenalty, 0.0),
                    seed,
                    f.logprobs,
                    f.topLogprobs);
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            int space = message.indexOf(' ');
            String field = space < 0 ? "" : message.substring(0, space);
            if (!SAMPLING_FIELDS.contains(field)) {
                throw new ApiException.BadRequest(null, message);
            }
            // completions ask for top logprobs by an integer "logprobs"
            String named = api == Api.COMPLETIONS && field.equals("top_logprobs") ? "logprobs" : field;
            throw new ApiException.BadRequest(named, message.substring(space + 1));
        }
    }

    private static double or(@Nullable Double v, double otherwise) {
        return v == null ? otherwise : v;
    }

    private static ApiException bad(@Nullable String field, String detail, String requestId) {
        return new ApiException.BadRequest(field, detail).withRequestId(requestId);
    }

    /** What the reader found so far, and where it is (for errors the JSON parser raises). */
    static final class Fields {
        @Nullable
        GenerationInput input;

        @Nullable
        Double temperature;

        @Nullable
        Double topP;

        @Nullable
        Double minP;

        @Nullable
        Double repetitionPenalty;

        @Nullable
        Double frequencyPenalty;

        @Nullable
        Double presencePenalty;

        int topK;

        @Nullable
        Long seed;

        @Nullable
        Integer maxTokens;

        @Nullable
        Integer maxCompletionTokens;

        int n = 1;
        List<String> stop = new ArrayList<>();
        boolean stream;
        boolean streamOptions;
        boolean includeUsage;
        boolean logprobs;
        int topLogprobs;

        @Nullable
        String at;
    }
}
