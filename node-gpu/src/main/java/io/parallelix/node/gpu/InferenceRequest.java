package io.parallelix.node.gpu;

import java.time.Instant;
import java.util.List;

/**
 * A whole inference request for one model. {@code outputs} empty means every model output.
 * {@code deadline} is absolute (from the engine's clock); a run still going then is terminated.
 */
public record InferenceRequest(
        String requestId, String model, List<InputTensor> inputs, List<String> outputs, Instant deadline) {}
