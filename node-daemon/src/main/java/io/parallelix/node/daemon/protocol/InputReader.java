package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.gpu.EmbeddingInput;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads OpenAI's {@code input}: one string, one token array, or an array of either kind (the
 * first item decides which; a later item of the other kind is refused, naming it). Counts inputs,
 * characters and token ids against the limits as they arrive, so an oversized request stops early.
 */
final class InputReader {
    private final JsonParser p;
    private final EmbeddingsLimits limits;
    private final EmbeddingsDecoder.Fields f;
    private long chars;
    private long ids;

    InputReader(JsonParser p, EmbeddingsLimits limits, EmbeddingsDecoder.Fields f) {
        this.p = p;
        this.limits = limits;
        this.f = f;
    }

    /** The parser is on input's value. */
    void read() throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            f.single = true;
            f.inputs.add(text("input"));
            return;
        }
        if (t != JsonToken.START_ARRAY) {
            throw new ApiException.BadRequest(
                    "input",
                    "must be a string, an array of strings, an array of token ids or an array of token-id arrays,"
                            + " got " + JsonElements.describe(p));
        }
        f.at = "input[0]";
        JsonToken first = p.nextToken();
        switch (first) {
            case END_ARRAY -> throw new ApiException.BadRequest("input", "must not be an empty array");
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                f.single = true;
                f.inputs.add(tokens("input"));
            }
            case VALUE_STRING -> items(true);
            case START_ARRAY -> items(false);
            default ->
                throw new ApiException.BadRequest(
                        "input[0]", "must be a string or a token-id array, got " + JsonElements.describe(p));
        }
    }

    /** The items of an array of strings or of token arrays; the parser is on the first one. */
    private void items(boolean strings) throws IOException {
        for (int i = 0; p.currentToken() != JsonToken.END_ARRAY; i++) {
            String field = "input[" + i + "]";
            f.at = field;
            if (i == limits.maxInputs()) {
                throw new ApiException.BadRequest(
                        "input", "more than " + limits.maxInputs() + " inputs (server.max_embedding_inputs)");
            }
            JsonToken t = p.currentToken();
            if (strings && t == JsonToken.VALUE_STRING) {
                f.inputs.add(text(field));
            } else if (!strings && t == JsonToken.START_ARRAY) {
                p.nextToken();
                f.inputs.add(tokens(field));
            } else {
                throw new ApiException.BadRequest(
                        field,
                        "must be " + (strings ? "a string" : "a token-id array") + " like input[0] (input is an array"
                                + " of " + (strings ? "strings" : "token-id arrays") + "), got "
                                + JsonElements.describe(p));
            }
            f.at = "input[" + (i + 1) + "]";
            p.nextToken();
        }
    }

    private EmbeddingInput.Text text(String field) throws IOException {
        String s = p.getText();
        if (s.isEmpty()) {
            throw new ApiException.BadRequest(field, "must not be empty");
        }
        chars += s.length();
        if (chars > limits.maxChars()) {
            throw new ApiException.BadRequest(
                    "input", "more than " + limits.maxChars() + " characters in all (server.max_embedding_chars)");
        }
        int lone = JsonElements.loneSurrogate(s);
        if (lone >= 0) { // UTF-8 has no form for it: the tokenizer would see other text
            throw new ApiException.BadRequest(
                    field,
                    "has an unpaired surrogate \\u" + Integer.toHexString(s.charAt(lone)) + " at char " + lone
                            + ", which is not valid Unicode text");
        }
        return new EmbeddingInput.Text(s);
    }

    /** A token array; the parser is on its first element (or its end). */
    private EmbeddingInput.Tokens tokens(String field) throws IOException {
        int[] buf = new int[16];
        int n = 0;
        for (JsonToken t = p.currentToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            if (t != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 0
                    || p.getLongValue() > Integer.MAX_VALUE) {
                throw new ApiException.BadRequest(
                        field + "[" + n + "]", "must be an integer token id >= 0, got " + describe());
            }
            if (++ids > limits.maxTokenIds()) {
                throw new ApiException.BadRequest(
                        "input",
                        "more than " + limits.maxTokenIds() + " token ids in all (server.max_embedding_token_ids)");
            }
            if (n == buf.length) {
                buf = Arrays.copyOf(buf, n * 2);
            }
            buf[n++] = p.getIntValue();
        }
        if (n == 0) {
            throw new ApiException.BadRequest(field, "must not be an empty array");
        }
        return new EmbeddingInput.Tokens(Arrays.copyOf(buf, n));
    }

    private String describe() throws IOException {
        JsonToken t = p.currentToken();
        return t == JsonToken.VALUE_NUMBER_INT ? p.getText() : JsonElements.describe(p);
    }
}
