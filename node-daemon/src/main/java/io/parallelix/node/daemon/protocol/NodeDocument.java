package io.parallelix.node.daemon.protocol;

import io.parallelix.node.gpu.RuntimeFingerprint;
import java.util.List;

/** {@code GET /v1/node}: what a coordinator registers. node_id is derivable from public_key. */
public record NodeDocument(
        String nodeId,
        String publicKey,
        String sigAlg,
        int poeVersion,
        String resultFormat,
        String version,
        String cryptoProvider,
        RuntimeFingerprint runtime,
        List<Model> models) {

    public record Model(String name, String sha256, String provider, boolean deterministic, boolean ready) {}
}
