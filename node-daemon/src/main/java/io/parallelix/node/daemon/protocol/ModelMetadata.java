package io.parallelix.node.daemon.protocol;

import java.util.List;

/** {@code GET /v2/models/{model}}: OIP model metadata plus what a coordinator pins and compares. */
public record ModelMetadata(
        String name,
        List<String> versions,
        String platform,
        List<Tensor> inputs,
        List<Tensor> outputs,
        String sha256,
        String provider,
        boolean deterministic,
        boolean ready) {

    /** A dimension of -1 is dynamic. */
    public record Tensor(String name, String datatype, List<Long> shape) {}
}
