package io.parallelix.node.daemon.protocol;

import io.parallelix.node.gpu.InputTensor;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An Open Inference Protocol request after decoding: well-formed, not yet checked against a
 * model. {@code modelSha256} is the client's pin ({@code parameters.model_sha256}), if any.
 */
public record DecodedRequest(
        String requestId,
        List<InputTensor> inputs,
        List<String> outputs,
        @Nullable String modelSha256) implements Task {

    public DecodedRequest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }
}
