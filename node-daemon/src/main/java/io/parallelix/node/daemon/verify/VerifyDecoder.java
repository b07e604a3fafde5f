package io.parallelix.node.daemon.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.KeyException;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.Messages;
import io.parallelix.node.daemon.protocol.Envelope;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a POST /v1/verify body (docs/verification.md):
 * {@code {"model", "endpoint", "request": {..}, "answer": {"envelope": {..}} | {"body", "headers"} |
 * {"stream"}, "public_key"}}. Every problem is a BadRequest naming the field; unknown fields are
 * refused. The body is bounded by the server's body limit before it gets here.
 */
public final class VerifyDecoder {
    private static final Set<String> FIELDS = Set.of("model", "endpoint", "request", "answer", "public_key");
    private static final Set<String> ANSWER_FIELDS = Set.of("envelope", "body", "headers", "stream");
    /** A header block of a real answer has a dozen; this bounds what a request can make us keep. */
    static final int MAX_HEADERS = 64;

    private final ObjectMapper mapper;

    public VerifyDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** {@code model} is the one the endpoint peeked from the same body. */
    public VerifyRequest decode(byte[] body, String requestId, String model) {
        try {
            JsonNode root = tree(body);
            unknown(root, FIELDS, "");
            String endpoint = text(root, "endpoint");
            VerifyRequest.Kind kind = VerifyRequest.Kind.of(endpoint);
            if (kind == null) {
                throw new ApiException.BadRequest(
                        "endpoint",
                        "must be /v1/embeddings, /v1/completions, /v1/chat/completions or /v2/models/{model}/infer,"
                                + " got \"" + Messages.clip(endpoint) + "\"");
            }
            JsonNode request = root.get("request");
            if (request == null || !request.isObject()) {
                throw new ApiException.BadRequest("request", "is required: the original request body, a JSON object");
            }
            return new VerifyRequest(
                    requestId,
                    model,
                    kind,
                    mapper.writeValueAsBytes(request),
                    answer(root.get("answer")),
                    key(text(root, "public_key")));
        } catch (ApiException e) {
            throw e.withRequestId(requestId);
        } catch (JsonProcessingException e) {
            throw new ApiException.BadRequest("request", "cannot be written back: " + e.getOriginalMessage())
                    .withRequestId(requestId);
        }
    }

    private JsonNode tree(byte[] body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw new ApiException.BadRequest(null, "malformed JSON: " + Messages.firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new ApiException.BadRequest(null, "the body must be a JSON object");
        }
        return root;
    }

    private VerifyRequest.Answer answer(JsonNode answer) {
        if (answer == null || !answer.isObject()) {
            throw new ApiException.BadRequest(
                    "answer", "is required: {\"envelope\": ..}, {\"body\": .., \"headers\": ..} or {\"stream\": ..}");
        }
        unknown(answer, ANSWER_FIELDS, "answer.");
        boolean envelope = answer.has("envelope");
        boolean body = answer.has("body") || answer.has("headers");
        boolean stream = answer.has("stream");
        if ((envelope ? 1 : 0) + (body ? 1 : 0) + (stream ? 1 : 0) != 1) {
            throw new ApiException.BadRequest("answer", "give exactly one of envelope, body with headers, or stream");
        }
        if (envelope) {
            try {
                return new VerifyRequest.Answer.InEnvelope(mapper.treeToValue(answer.get("envelope"), Envelope.class));
            } catch (IOException | RuntimeException e) {
                throw new ApiException.BadRequest(
                        "answer.envelope", "is not an envelope: " + Messages.firstLine(e.getMessage()));
            }
        }
        if (stream) {
            return new VerifyRequest.Answer.Stream(
                    text(answer, "stream", "answer.stream").getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = text(answer, "body", "answer.body").getBytes(StandardCharsets.UTF_8);
        return new VerifyRequest.Answer.Body(bytes, headers(answer.get("headers")));
    }

    /** Header names as given (the verifier matches them in any case); a value is a string or a list of them. */
    private static Map<String, List<String>> headers(JsonNode headers) {
        if (headers == null || !headers.isObject()) {
            throw new ApiException.BadRequest("answer.headers", "is required with body: an object of header: value");
        }
        if (headers.size() > MAX_HEADERS) {
            throw new ApiException.BadRequest("answer.headers", "has more than " + MAX_HEADERS + " headers");
        }
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            String field = "answer.headers." + Messages.clip(h.getKey());
            List<String> values = new ArrayList<>();
            if (h.getValue().isTextual()) {
                values.add(h.getValue().asText());
            } else if (h.getValue().isArray() && h.getValue().size() <= MAX_HEADERS) {
                for (JsonNode v : h.getValue()) {
                    if (!v.isTextual()) {
                        throw new ApiException.BadRequest(field, "must be a string or a list of strings");
                    }
                    values.add(v.asText());
                }
            } else {
                throw new ApiException.BadRequest(field, "must be a string or a list of strings");
            }
            out.put(h.getKey(), values);
        }
        return out;
    }

    private static RSAPublicKey key(String pem) {
        try {
            return KeyFiles.parsePublicKeyPem(pem);
        } catch (KeyException e) {
            throw new ApiException.BadRequest("public_key", "is not an RSA public key (PEM): " + e.getMessage());
        }
    }

    private static void unknown(JsonNode node, Set<String> known, String prefix) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!known.contains(name)) {
                throw new ApiException.BadRequest(prefix + Messages.clip(name), "is not a field of a verify request");
            }
        }
    }

    private static String text(JsonNode node, String name) {
        return text(node, name, name);
    }

    private static String text(JsonNode node, String name, String field) {
        JsonNode v = node.get(name);
        if (v == null || v.isNull()) {
            throw new ApiException.BadRequest(field, "is required");
        }
        if (!v.isTextual()) {
            throw new ApiException.BadRequest(field, "must be a string");
        }
        return v.asText();
    }
}
