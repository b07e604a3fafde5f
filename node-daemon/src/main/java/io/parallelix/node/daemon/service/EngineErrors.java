package io.parallelix.node.daemon.service;

import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.Messages;
import io.parallelix.node.gpu.InferenceException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Engine failures as client-facing errors (the engine clips what it quotes of a request; so does this). */
final class EngineErrors {
    private static final Logger log = LoggerFactory.getLogger(EngineErrors.class);

    private EngineErrors() {}

    static ApiException toApi(InferenceException e, String model, @Nullable String requestId) {
        ApiException api = switch (e) {
            case InferenceException.InvalidInput i ->
                new ApiException.BadRequest(i.field(), String.valueOf(i.getMessage()));
            case InferenceException.InputRejected r -> {
                // The client's values, not a node fault: one line, no stack trace, no cause attached.
                log.info("request_id={} model={} input rejected: {}", requestId, clip(model), firstLine(r));
                yield new ApiException.BadRequest(ApiException.BadRequest.INVALID_INPUT, "inputs", firstLine(r));
            }
            case InferenceException.UnknownModel u -> new ApiException.NotFound(String.valueOf(u.getMessage()));
            case InferenceException.DeadlineExceeded d ->
                new ApiException.DeadlineExceeded(String.valueOf(d.getMessage()));
            case InferenceException.ModelFailed f ->
                new ApiException.Internal(
                        "model_failed", "model '" + clip(model) + "' failed while running: " + firstLine(f), f);
        };
        return requestId == null ? api : api.withRequestId(requestId);
    }

    private static String firstLine(Exception e) {
        return Messages.firstLine(e.getMessage());
    }

    private static String clip(String name) {
        return Messages.clip(name);
    }
}
