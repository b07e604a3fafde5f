package io.parallelix.node.daemon.protocol;

import org.jspecify.annotations.Nullable;

/**
 * An error on the OpenAI-compatible paths, in OpenAI's shape: {@code type} is
 * "invalid_request_error" (the client's) or "server_error" (the node's), {@code param} the field
 * at fault, {@code code} the node's stable error code (the same as on every other path).
 */
public record OpenAiError(Detail error) {
    public record Detail(
            String message, String type, @Nullable String param, String code) {}

    public static OpenAiError of(String message, String type, @Nullable String param, String code) {
        return new OpenAiError(new Detail(message, type, param, code));
    }
}
