package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.CompletionsRequest.Api;
import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.gpu.sampling.StopMatcher;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Reads the top-level fields of one completions or chat completions body into its {@link
 * GenerationDecoder.Fields}: each field checked for its type and its own range as it arrives; the
 * sampling ranges are SamplingParams' to check once everything is read.
 */
final class GenerationReader {
    private static final String COMPLETIONS_FIELDS = "model, prompt, max_tokens, temperature, top_p, top_k, min_p,"
            + " repetition_penalty, frequency_penalty, presence_penalty, seed, stop, n, logprobs, stream,"
            + " stream_options and user";
    private static final String CHAT_FIELDS = "model, messages, max_completion_tokens (or max_tokens), temperature,"
            + " top_p, top_k, min_p, repetition_penalty, frequency_penalty, presence_penalty, seed, stop, n, logprobs,"
            + " top_logprobs, stream, stream_options and user";

    private final JsonParser p;
    private final GenerationLimits limits;
    private final GenerationDecoder.Fields f;
    private final Api api;

    GenerationReader(JsonParser p, GenerationLimits limits, GenerationDecoder.Fields f, Api api) {
        this.p = p;
        this.limits = limits;
        this.f = f;
        this.api = api;
    }

    void read(String model) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw new ApiException.BadRequest(null, "the request body must be a JSON object");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            f.at = name;
            JsonToken t = p.nextToken();
            if (!common(name, t, model) && !(api == Api.CHAT ? chat(name, t) : completions(name, t))) {
                throw new ApiException.BadRequest(
                        name,
                        "unknown field; "
                                + (api == Api.CHAT
                                        ? "/v1/chat/completions takes " + CHAT_FIELDS
                                        : "/v1/completions takes " + COMPLETIONS_FIELDS));
            }
        }
        f.at = null;
        if (p.nextToken() != null) {
            throw new ApiException.BadRequest(null, "trailing content after the JSON object");
        }
    }

    /** The fields of both APIs; false when {@code name} is not one of them. */
    private boolean common(String name, JsonToken t, String model) throws IOException {
        switch (name) {
            case "model" -> {
                if (t != JsonToken.VALUE_STRING || !p.getText().equals(model)) {
                    throw new IllegalStateException("ModelPeek and the decoder read different models");
                }
            }
            case "temperature" -> f.temperature = number(name);
            case "top_p" -> f.topP = number(name);
            case "min_p" -> f.minP = number(name);
            case "repetition_penalty" -> f.repetitionPenalty = number(name);
            case "frequency_penalty" -> f.frequencyPenalty = number(name);
            case "presence_penalty" -> f.presencePenalty = number(name);
            case "top_k" -> {
                Long k = integer(name, -1, Integer.MAX_VALUE);
                f.topK = k == null || k == -1 ? 0 : k.intValue(); // vLLM's -1 and our 0 both mean off
            }
            case "seed" -> f.seed = integer(name, Long.MIN_VALUE, Long.MAX_VALUE);
            case "max_tokens" -> f.maxTokens = count(name, Integer.MAX_VALUE);
            case "n" -> {
                Integer n = count(name, limits.maxChoices());
                f.n = n == null ? 1 : n;
            }
            case "stop" -> stop();
            case "stream" -> f.stream = bool(name);
            case "stream_options" -> streamOptions();
            case "user" -> {
                if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
                    throw new ApiException.BadRequest(name, "must be a string");
                }
            }
            case "logit_bias" ->
                refuseUnless(name, t == JsonToken.START_OBJECT && p.nextToken() == JsonToken.END_OBJECT);
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean completions(String name, JsonToken t) throws IOException {
        switch (name) {
            case "prompt" -> f.input = new PromptReader(p, limits).read();
            case "logprobs" -> {
                Long top = integer(name, 0, SamplingParams.MAX_TOP_LOGPROBS);
                f.logprobs = top != null;
                f.topLogprobs = top == null ? 0 : top.intValue();
            }
            case "echo" -> refuseUnless(name, t == JsonToken.VALUE_FALSE);
            case "best_of" ->
                refuseUnless(
                        name, t == JsonToken.VALUE_NUMBER_INT && p.getText().equals("1"));
            case "suffix" ->
                refuseUnless(name, t == JsonToken.VALUE_STRING && p.getText().isEmpty());
            default -> {
                return false;
            }
        }
        return true;
    }

    private boolean chat(String name, JsonToken t) throws IOException {
        switch (name) {
            case "messages" -> f.input = new MessagesReader(p, limits).read();
            case "max_completion_tokens" -> f.maxCompletionTokens = count(name, Integer.MAX_VALUE);
            case "logprobs" -> f.logprobs = bool(name);
            case "top_logprobs" -> {
                Long top = integer(name, 0, SamplingParams.MAX_TOP_LOGPROBS);
                f.topLogprobs = top == null ? 0 : top.intValue();
            }
            case "tools", "functions" ->
                refuseUnless(name, t == JsonToken.START_ARRAY && p.nextToken() == JsonToken.END_ARRAY);
            case "tool_choice", "function_call" ->
                refuseUnless(name, t == JsonToken.VALUE_STRING && p.getText().equals("none"));
            case "parallel_tool_calls" -> refuseUnless(name, t == JsonToken.VALUE_TRUE || t == JsonToken.VALUE_FALSE);
            case "response_format" -> refuseUnless(name, textFormat(t));
            case "modalities" -> refuseUnless(name, textOnly(t));
            case "audio", "prediction" -> refuseUnless(name, false);
            default -> {
                return false;
            }
        }
        return true;
    }

    /** A field the node does not implement: null and the one value that asks for nothing pass, the rest is refused. */
    private void refuseUnless(String name, boolean noOp) {
        if (p.currentToken() == JsonToken.VALUE_NULL || noOp) {
            return;
        }
        String why = switch (name) {
            case "tools", "tool_choice", "functions", "function_call", "parallel_tool_calls" ->
                "is not supported: this node does not call tools or functions";
            case "response_format" -> "is not supported: only {\"type\":\"text\"}, no JSON mode or schema";
            case "logit_bias" -> "is not supported";
            case "echo" -> "is not supported: only false (the prompt is not echoed)";
            case "best_of" -> "is not supported: only 1 (use n for several choices)";
            case "suffix" -> "is not supported (no insertion)";
            case "modalities" -> "is not supported: only [\"text\"]";
            default -> "is not supported: text in, text out";
        };
        throw new ApiException.BadRequest(name, why);
    }

    private boolean textFormat(JsonToken t) throws IOException {
        return t == JsonToken.START_OBJECT
                && p.nextToken() == JsonToken.FIELD_NAME
                && p.currentName().equals("type")
                && p.nextToken() == JsonToken.VALUE_STRING
                && p.getText().equals("text")
                && p.nextToken() == JsonToken.END_OBJECT;
    }

    private boolean textOnly(JsonToken t) throws IOException {
        return t == JsonToken.START_ARRAY
                && p.nextToken() == JsonToken.VALUE_STRING
                && p.getText().equals("text")
                && p.nextToken() == JsonToken.END_ARRAY;
    }

    private void stop() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t == JsonToken.VALUE_STRING) {
            f.stop.add(stopString("stop"));
            return;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new ApiException.BadRequest("stop", "must be a string or an array of strings");
        }
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            if (i == StopMatcher.MAX_STOPS) {
                throw new ApiException.BadRequest("stop", "takes at most " + StopMatcher.MAX_STOPS + " strings");
            }
            if (p.currentToken() != JsonToken.VALUE_STRING) {
                throw new ApiException.BadRequest(
                        "stop[" + i + "]", "must be a string, got " + JsonElements.describe(p));
            }
            f.stop.add(stopString("stop[" + i + "]"));
        }
    }

    private String stopString(String field) throws IOException {
        String s = p.getText();
        if (s.isEmpty() || s.length() > StopMatcher.MAX_STOP_LENGTH) {
            throw new ApiException.BadRequest(
                    field, "must have 1 to " + StopMatcher.MAX_STOP_LENGTH + " characters, got " + s.length());
        }
        if (JsonElements.loneSurrogate(s) >= 0) {
            throw new ApiException.BadRequest(field, "has an unpaired surrogate, which is not valid Unicode text");
        }
        return s;
    }

    private void streamOptions() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            throw new ApiException.BadRequest("stream_options", "must be an object");
        }
        f.streamOptions = true;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            p.nextToken();
            if (!name.equals("include_usage")) {
                throw new ApiException.BadRequest(
                        "stream_options." + name, "unknown field; stream_options takes include_usage");
            }
            f.includeUsage = bool("stream_options.include_usage");
        }
    }

    private boolean bool(String field) {
        JsonToken t = p.currentToken();
        if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE && t != JsonToken.VALUE_NULL) {
            throw new ApiException.BadRequest(field, "must be true or false");
        }
        return t == JsonToken.VALUE_TRUE;
    }

    private @Nullable Double number(String field) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw new ApiException.BadRequest(field, "must be a number, got " + JsonElements.describe(p));
        }
        double v = p.getDoubleValue();
        if (!Double.isFinite(v)) {
            throw new ApiException.BadRequest(field, "is out of range");
        }
        return v;
    }

    /** An integer in [min, max], or null. */
    private @Nullable Long integer(String field, long min, long max) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t != JsonToken.VALUE_NUMBER_INT
                || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() < min
                || p.getLongValue() > max) {
            String got = t == JsonToken.VALUE_NUMBER_INT ? p.getText() : JsonElements.describe(p);
            throw new ApiException.BadRequest(field, "must be an integer from " + min + " to " + max + ", got " + got);
        }
        return p.getLongValue();
    }

    /** An integer in [1, max], or null. */
    private @Nullable Integer count(String field, int max) throws IOException {
        Long v = integer(field, 1, max);
        return v == null ? null : v.intValue();
    }
}
