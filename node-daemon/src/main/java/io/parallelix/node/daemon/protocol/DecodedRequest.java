package io.parallelix.node.daemon.protocol;

import io.parallelix.node.crypto.PoeVersion;
import io.parallelix.node.gpu.InputTensor;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An Open Inference Protocol request after decoding: well-formed, not yet checked against a
 * model. {@code modelSha256} is the client's pin ({@code parameters.model_sha256}), if any;
 * {@code poeVersion} the PoE layout it asks for ({@code parameters.poe_version}), if any.
 */
public record DecodedRequest(
        String requestId,
        List<InputTensor> inputs,
        List<String> outputs,
        @Nullable String modelSha256,
        @Nullable PoeVersion poeVersion)
        implements Task {

    public DecodedRequest {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    public DecodedRequest(
            String requestId, List<InputTensor> inputs, List<String> outputs, @Nullable String modelSha256) {
        this(requestId, inputs, outputs, modelSha256, null);
    }
}
