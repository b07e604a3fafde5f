package io.parallelix.node.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * PoE v1 = SHA-256(request_id || result || node_id): request_id as UTF-8, result as the exact
 * bytes returned, node_id as its raw 32 bytes. Nothing added, nothing framed (docs/protocol.md).
 *
 * <p>This is the one place the commitment's byte layout lives. It hashes any request id it is
 * given; the node refuses invalid ids earlier ({@link ResultSigner#sign}), the verifier in its first
 * check.
 */
public final class ProofOfExecution {
    public static final int VERSION = 1;

    /** Length in bytes of a v1 commitment. */
    public static final int LENGTH = 32;

    private ProofOfExecution() {}

    public static byte[] v1(String requestId, byte[] result, NodeId nodeId) {
        try {
            return v1(MessageDigest.getInstance("SHA-256"), requestId, result, nodeId);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** With a given (fresh or reset) SHA-256 digest, e.g. from the configured provider. */
    static byte[] v1(MessageDigest sha256, String requestId, byte[] result, NodeId nodeId) {
        sha256.update(requestId.getBytes(StandardCharsets.UTF_8));
        sha256.update(result);
        nodeId.appendTo(sha256);
        return sha256.digest();
    }
}
