package io.parallelix.node.gpu;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A whole inference request for one model. {@code outputs} empty means every model output.
 * {@code deadline} is absolute (from the engine's clock); a run still going then is terminated.
 * {@code metadata}: more entries for the result's {@code __metadata__} (the caller's runtime
 * fingerprint); none may replace the engine's own ({@code model}, {@code model_sha256},
 * {@code inputs_sha256}).
 */
public record InferenceRequest(
        String requestId,
        String model,
        List<InputTensor> inputs,
        List<String> outputs,
        Instant deadline,
        Map<String, String> metadata) {

    public InferenceRequest {
        metadata = Map.copyOf(metadata);
    }

    public InferenceRequest(
            String requestId, String model, List<InputTensor> inputs, List<String> outputs, Instant deadline) {
        this(requestId, model, inputs, outputs, deadline, Map.of());
    }
}
