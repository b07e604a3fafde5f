package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.gpu.GenerationInput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads /v1/completions' {@code prompt}: a string, or an array of token ids. OpenAI's batch forms
 * (an array of strings, an array of token-id arrays) are taken when they hold one prompt and
 * refused by name when they hold more: one request, one prompt, one signed answer.
 */
final class PromptReader {
    private final JsonParser p;
    private final GenerationLimits limits;

    PromptReader(JsonParser p, GenerationLimits limits) {
        this.p = p;
        this.limits = limits;
    }

    /** The parser is on prompt's value. */
    GenerationInput read() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return text();
        }
        if (t != JsonToken.START_ARRAY) {
            throw new ApiException.BadRequest(
                    "prompt", "must be a string or an array of token ids, got " + JsonElements.describe(p));
        }
        JsonToken first = p.nextToken();
        GenerationInput one;
        switch (first) {
            case END_ARRAY -> throw new ApiException.BadRequest("prompt", "must not be an empty array");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                return tokens();
            }
            case VALUE_STRING -> one = text();
            case START_ARRAY -> {
                p.nextToken();
                one = tokens();
            }
            default ->
                throw new ApiException.BadRequest(
                        "prompt[0]", "must be a string or a token id, got " + JsonElements.describe(p));
        }
        if (p.nextToken() != JsonToken.END_ARRAY) {
            throw new ApiException.BadRequest(
                    "prompt", "holds more than one prompt; this node takes one prompt per request");
        }
        return one;
    }

    private GenerationInput.Text text() throws IOException {
        String s = p.getText();
        if (s.isEmpty()) {
            throw new ApiException.BadRequest("prompt", "must not be empty");
        }
        if (s.length() > limits.maxChars()) {
            throw new ApiException.BadRequest(
                    "prompt", "has more than " + limits.maxChars() + " characters (server.max_generation_chars)");
        }
        int lone = JsonElements.loneSurrogate(s);
        if (lone >= 0) {
            throw new ApiException.BadRequest(
                    "prompt",
                    "has an unpaired surrogate \\u" + Integer.toHexString(s.charAt(lone)) + " at char " + lone
                            + ", which is not valid Unicode text");
        }
        return new GenerationInput.Text(s);
    }

    /** Token ids; the parser is on the first one (or the array's end). */
    private GenerationInput.Tokens tokens() throws IOException {
        int[] buf = new int[64];
        int n = 0;
        for (JsonToken t = p.currentToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 0
                    || p.getLongValue() > Integer.MAX_VALUE) {
                String got = t == JsonToken.VALUE_NUMBER_INT ? p.getText() : JsonElements.describe(p);
                throw new ApiException.BadRequest("prompt[" + n + "]", "must be an integer token id >= 0, got " + got);
            }
            if (n == limits.maxTokenIds()) {
                throw new ApiException.BadRequest(
                        "prompt",
                        "has more than " + limits.maxTokenIds() + " token ids (server.max_generation_token_ids)");
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = p.getIntValue();
        }
        if (n == 0) {
            throw new ApiException.BadRequest("prompt", "must not be an empty array");
        }
        return new GenerationInput.Tokens(Arrays.copyOf(buf, n));
    }
}
