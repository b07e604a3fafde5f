package io.parallelix.node.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.daemon.error.Messages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What a verified stream generated, for {@code pxnode verify --stream --print-text}: each choice's
 * text joined over the chunks ({@code text} of text_completion chunks, {@code delta.content} of
 * chat.completion.chunk ones) and its last finish_reason, as one object
 * {@code {"object", "choices": [{"index", "text", "finish_reason"}]}}, the form
 * scripts/verify_envelope.py --print-text prints.
 */
final class StreamText {
    private StreamText() {}

    /** {@code result}: the signed events. IllegalArgumentException names the line that is not a chunk. */
    static ObjectNode of(ObjectMapper mapper, byte[] result) {
        @Nullable String kind = null;
        Map<Integer, Choice> choices = new TreeMap<>();
        String[] lines = new String(result, StandardCharsets.UTF_8).split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n];
            if (line.isEmpty() || line.startsWith(":")) {
                continue; // between events, or a comment
            }
            if (!line.startsWith("data: ")) {
                throw new IllegalArgumentException("line " + (n + 1) + " is not a data line");
            }
            JsonNode chunk = chunk(mapper, line.substring("data: ".length()), n + 1);
            String object = chunk.path("object").asText("");
            boolean completion = object.equals("text_completion");
            if (!(completion || object.equals("chat.completion.chunk")) || (kind != null && !kind.equals(object))) {
                throw new IllegalArgumentException("line " + (n + 1) + ": a chunk of object \"" + Messages.clip(object)
                        + "\" in a stream of " + (kind == null ? "OpenAI chunks" : "\"" + kind + "\""));
            }
            kind = object;
            for (JsonNode choice : chunk.get("choices")) {
                JsonNode index = choice.path("index");
                JsonNode piece =
                        completion ? choice.path("text") : choice.path("delta").path("content");
                if (!index.isInt() || !(piece.isTextual() || piece.isNull() || piece.isMissingNode())) {
                    throw new IllegalArgumentException(
                            "line " + (n + 1) + ": a choice whose index or text has the wrong type");
                }
                Choice c = choices.computeIfAbsent(index.asInt(), i -> new Choice());
                c.text.append(piece.isTextual() ? piece.asText() : "");
                JsonNode reason = choice.path("finish_reason");
                if (!reason.isNull() && !reason.isMissingNode()) {
                    c.finishReason = reason;
                }
            }
        }
        ObjectNode out = mapper.createObjectNode();
        out.put("object", kind);
        ArrayNode list = out.putArray("choices");
        choices.forEach((index, c) -> list.addObject()
                .put("index", index)
                .put("text", c.text.toString())
                .set("finish_reason", c.finishReason));
        return out;
    }

    private static final class Choice {
        final StringBuilder text = new StringBuilder();
        JsonNode finishReason = NullNode.getInstance();
    }

    private static JsonNode chunk(ObjectMapper mapper, String data, int line) {
        JsonNode chunk;
        try {
            chunk = mapper.readTree(data);
        } catch (IOException e) {
            throw new IllegalArgumentException("line " + line + " is not JSON");
        }
        if (chunk == null || !chunk.isObject() || !chunk.path("choices").isArray()) {
            throw new IllegalArgumentException("line " + line + " is not an OpenAI chunk");
        }
        return chunk;
    }
}
