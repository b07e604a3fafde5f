package io.parallelix.node.gpu;

import java.time.Instant;
import java.util.List;

/**
 * A whole embedding request for one model. {@code truncate} cuts inputs longer than the model's
 * limit to it (otherwise they are refused, naming the input); {@code dimensions} 0 means the
 * model's own size. {@code deadline} is absolute, on the engine's clock.
 */
public record EmbeddingRequest(
        String requestId,
        String model,
        List<EmbeddingInput> inputs,
        boolean truncate,
        int dimensions,
        Instant deadline) {
    public EmbeddingRequest {
        inputs = List.copyOf(inputs);
    }
}
