package io.parallelix.node.daemon.service;

import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.gpu.InferenceException;
import org.jspecify.annotations.Nullable;

/** Engine failures as client-facing errors. */
final class EngineErrors {
    private EngineErrors() {}

    static ApiException toApi(InferenceException e, String model, @Nullable String requestId) {
        ApiException api = switch (e) {
            case InferenceException.InvalidInput i ->
                new ApiException.BadRequest(i.field(), String.valueOf(i.getMessage()));
            case InferenceException.UnknownModel u -> new ApiException.NotFound(String.valueOf(u.getMessage()));
            case InferenceException.DeadlineExceeded d ->
                new ApiException.DeadlineExceeded(String.valueOf(d.getMessage()));
            case InferenceException.ModelFailed f ->
                new ApiException.Internal(
                        "model_failed", "model '" + model + "' failed while running: " + firstLine(f), f);
        };
        return requestId == null ? api : api.withRequestId(requestId);
    }

    private static String firstLine(Exception e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        m = nl < 0 ? m : m.substring(0, nl);
        return m.length() <= 300 ? m : m.substring(0, 300) + "...";
    }
}
