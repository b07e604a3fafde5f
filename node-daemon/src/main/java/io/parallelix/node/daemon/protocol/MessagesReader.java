package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.Messages;
import io.parallelix.node.gpu.GenerationInput;
import io.parallelix.node.gpu.chat.ChatMessage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads /v1/chat/completions' {@code messages}: roles system, developer (OpenAI's newer name for
 * system, given to the template as "system", which is the name chat templates know), user and
 * assistant; content a string or an array of text parts, joined with "\n" as vLLM joins them. Tool
 * and function messages, tool calls, images, audio and files are refused by name; so is every
 * other non-null field of a message.
 */
final class MessagesReader {
    private final JsonParser p;
    private final GenerationLimits limits;
    private long chars;

    MessagesReader(JsonParser p, GenerationLimits limits) {
        this.p = p;
        this.limits = limits;
    }

    /** The parser is on messages' value. */
    GenerationInput.Chat read() throws IOException {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new ApiException.BadRequest(
                    "messages", "must be an array of messages, got " + JsonElements.describe(p));
        }
        List<ChatMessage> messages = new ArrayList<>();
        for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
            if (i == limits.maxMessages()) {
                throw new ApiException.BadRequest(
                        "messages", "has more than " + limits.maxMessages() + " messages (server.max_chat_messages)");
            }
            messages.add(message("messages[" + i + "]"));
        }
        if (messages.isEmpty()) {
            throw new ApiException.BadRequest("messages", "must not be empty");
        }
        return new GenerationInput.Chat(messages);
    }

    private ChatMessage message(String at) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ApiException.BadRequest(at, "must be an object, got " + JsonElements.describe(p));
        }
        String role = null;
        String content = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            switch (name) {
                case "role" -> role = role(at + ".role", t);
                case "content" -> content = content(at + ".content", t);
                case "name", "tool_calls", "function_call", "tool_call_id", "refusal", "audio" -> {
                    if (t != JsonToken.VALUE_NULL) {
                        throw new ApiException.BadRequest(
                                at + "." + name, "is not supported: messages carry a role and text content only");
                    }
                }
                default ->
                    throw new ApiException.BadRequest(
                            at + "." + name, "unknown field; a message takes role and content");
            }
        }
        if (role == null) {
            throw new ApiException.BadRequest(at + ".role", "is required");
        }
        if (content == null) {
            throw new ApiException.BadRequest(at + ".content", "is required");
        }
        return new ChatMessage(role, content);
    }

    private String role(String field, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_STRING) {
            throw new ApiException.BadRequest(field, "must be a string, got " + JsonElements.describe(p));
        }
        return switch (p.getText()) {
            case "system", "developer" -> "system";
            case "user" -> "user";
            case "assistant" -> "assistant";
            case "tool", "function" ->
                throw new ApiException.BadRequest(field, "tool and function messages are not supported (no tools)");
            default -> throw new ApiException.BadRequest(field, "must be system, developer, user or assistant");
        };
    }

    private String text(String field) throws IOException {
        String s = p.getText();
        chars += s.length();
        if (chars > limits.maxChars()) {
            throw new ApiException.BadRequest(
                    "messages",
                    "have more than " + limits.maxChars() + " characters in all (server.max_generation_chars)");
        }
        int lone = JsonElements.loneSurrogate(s);
        if (lone >= 0) {
            throw new ApiException.BadRequest(
                    field,
                    "has an unpaired surrogate \\u" + Integer.toHexString(s.charAt(lone)) + " at char " + lone
                            + ", which is not valid Unicode text");
        }
        return s;
    }

    /** A string, or an array of text parts joined with "\n"; null stays null (then refused as missing). */
    private @Nullable String content(String field, JsonToken t) throws IOException {
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        if (t == JsonToken.VALUE_STRING) {
            return text(field);
        }
        if (t != JsonToken.START_ARRAY) {
            throw new ApiException.BadRequest(
                    field, "must be a string or an array of text parts, got " + JsonElements.describe(p));
        }
        StringBuilder joined = new StringBuilder();
        int j = 0;
        for (; p.nextToken() != JsonToken.END_ARRAY; j++) {
            if (j > 0) {
                joined.append('\n');
            }
            joined.append(part(field + "[" + j + "]"));
        }
        if (j == 0) {
            throw new ApiException.BadRequest(field, "must not be an empty array");
        }
        return joined.toString();
    }

    /** One {"type":"text","text":...} part; any other type (image_url, input_audio, file) is refused by name. */
    private String part(String at) throws IOException {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new ApiException.BadRequest(at, "must be an object, got " + JsonElements.describe(p));
        }
        String type = null;
        String text = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken t = p.nextToken();
            if (name.equals("type") && t == JsonToken.VALUE_STRING) {
                type = p.getText();
                if (!type.equals("text")) {
                    throw new ApiException.BadRequest(
                            at + ".type", "\"" + Messages.clip(type) + "\" parts are not supported (text only)");
                }
            } else if (name.equals("text") && t == JsonToken.VALUE_STRING) {
                text = text(at + ".text");
            } else if (name.equals("type") || name.equals("text")) {
                throw new ApiException.BadRequest(at + "." + name, "must be a string");
            } else {
                throw new ApiException.BadRequest(at + "." + name, "unknown field; a text part takes type and text");
            }
        }
        if (type == null) {
            throw new ApiException.BadRequest(at + ".type", "is required");
        }
        if (text == null) {
            throw new ApiException.BadRequest(at + ".text", "is required");
        }
        return text;
    }
}
