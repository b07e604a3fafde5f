package io.parallelix.node.daemon.protocol;

import io.parallelix.node.gpu.EmbeddingInput;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A POST /v1/embeddings request after decoding: well-formed, not yet checked against its model.
 * {@code single}: {@code input} was one string or one token array, not an array of them (errors
 * then name {@code input}, not {@code input[0]}). {@code dimensions} 0: not asked for.
 */
public record EmbeddingsRequest(
        String requestId,
        String model,
        List<EmbeddingInput> inputs,
        boolean single,
        Encoding encoding,
        int dimensions,
        boolean truncate)
        implements Task {

    /** OpenAI's encoding_format: JSON numbers, or base64 of little-endian float32. */
    public enum Encoding {
        FLOAT,
        BASE64
    }

    public EmbeddingsRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(model, "model");
        inputs = List.copyOf(inputs);
        if (inputs.isEmpty() || (single && inputs.size() != 1) || dimensions < 0) {
            throw new IllegalArgumentException(
                    "an embeddings request has inputs (one when single) and dimensions >= 0");
        }
    }

    /** No pin on this path: the answer's model_sha256 (meta) says which weights ran. */
    @Override
    public @Nullable String modelSha256() {
        return null;
    }

    /** How an error names input {@code i}: {@code input} for a single input, {@code input[i]} otherwise. */
    public String field(int i) {
        return single ? "input" : "input[" + i + "]";
    }
}
