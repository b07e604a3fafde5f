package io.parallelix.node.daemon.protocol;

import io.parallelix.node.gpu.RuntimeFingerprint;
import java.util.List;

/**
 * {@code GET /v1/node}: what a coordinator registers. node_id is derivable from public_key.
 * {@code poeVersion}: the layout answers use unless asked; {@code poeVersions}: every layout a
 * request may ask for ({@code Pxnode-Poe-Version}, OIP {@code parameters.poe_version}).
 */
public record NodeDocument(
        String nodeId,
        String publicKey,
        String sigAlg,
        int poeVersion,
        List<Integer> poeVersions,
        String resultFormat,
        String version,
        String cryptoProvider,
        RuntimeFingerprint runtime,
        List<Model> models) {

    public NodeDocument {
        poeVersions = List.copyOf(poeVersions);
        models = List.copyOf(models);
    }

    public record Model(String name, String sha256, String provider, boolean deterministic, boolean ready) {}
}
