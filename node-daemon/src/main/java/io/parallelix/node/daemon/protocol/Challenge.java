package io.parallelix.node.daemon.protocol;

/** {@code POST /v1/node/challenge}: the coordinator's nonce, and the node's proof of key possession. */
public final class Challenge {
    private Challenge() {}

    /** Request body: {@code {"nonce": "<hex, 16-1024 bytes>"}}. */
    public record Request(String nonce) {}

    /** Response: sig over "pxnode-challenge-v1\0" || nonce || node_id (docs/protocol.md). */
    public record Response(String nodeId, String nonce, byte[] sig, String sigAlg) {}
}
