package io.parallelix.node.daemon.protocol;

import org.jspecify.annotations.Nullable;

/** Every error response: {@code {"error": "...", "code": "...", "request_id": ...}}. */
public record ErrorBody(String error, String code, @Nullable String requestId) {}
