package io.parallelix.node.crypto;

/**
 * PoE v1 = SHA-256(request_id || result || node_id): request_id as UTF-8, result as the exact
 * bytes returned, node_id as its raw 32 bytes. Nothing added, nothing framed (docs/protocol.md).
 */
public final class ProofOfExecution {
    public static final int VERSION = 1;

    private ProofOfExecution() {}

    public static byte[] v1(String requestId, byte[] result, NodeId nodeId) {
        throw new UnsupportedOperationException("stub");
    }
}
