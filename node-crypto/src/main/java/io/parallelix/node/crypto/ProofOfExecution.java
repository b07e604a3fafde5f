package io.parallelix.node.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The PoE commitments, the one place their byte layouts live (docs/protocol.md):
 *
 * <pre>
 * v1 = SHA-256(request_id || result || node_id)
 * v2 = SHA-256("pxnode-poe-v2\0" || u16be(len(request_id)) || request_id || u64be(len(result)) || result || node_id)
 * </pre>
 *
 * request_id as UTF-8, result as the exact bytes returned, node_id as its raw 32 bytes, lengths in
 * bytes, big-endian. v1 frames nothing (so "req_a" + "1234" and "req_a1" + "234" collide); v2
 * starts with a context that no v1 message is bound to start with and length-prefixes both
 * variable fields, so the split is part of the commitment; node_id needs no prefix: it is the
 * fixed-length tail.
 *
 * <p>It hashes any request id it is given (v2: at most 65535 UTF-8 bytes); the node refuses invalid
 * ids earlier ({@link ResultSigner#sign}), the verifier in its first check.
 */
public final class ProofOfExecution {
    /** The default version's number, the network's protocol: {@link PoeVersion#DEFAULT}. */
    public static final int VERSION = 1;

    /** Length in bytes of a commitment (both versions). */
    public static final int LENGTH = 32;

    /** v2's domain separation: 14 ASCII bytes, ending in one NUL byte. */
    public static final String V2_CONTEXT = "pxnode-poe-v2\0";

    private static final byte[] V2_CONTEXT_BYTES = V2_CONTEXT.getBytes(StandardCharsets.US_ASCII);

    private ProofOfExecution() {}

    public static byte[] v1(String requestId, byte[] result, NodeId nodeId) {
        return of(PoeVersion.V1, requestId, result, nodeId);
    }

    public static byte[] v2(String requestId, byte[] result, NodeId nodeId) {
        return of(PoeVersion.V2, requestId, result, nodeId);
    }

    public static byte[] of(PoeVersion version, String requestId, byte[] result, NodeId nodeId) {
        try {
            return of(MessageDigest.getInstance("SHA-256"), version, requestId, result, nodeId);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** With a given (fresh or reset) SHA-256 digest, e.g. from the configured provider. */
    static byte[] of(MessageDigest sha256, PoeVersion version, String requestId, byte[] result, NodeId nodeId) {
        byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
        if (version == PoeVersion.V2) {
            if (id.length > 0xffff) {
                throw new IllegalArgumentException(
                        "a v2 request id is at most 65535 UTF-8 bytes, this one is " + id.length);
            }
            sha256.update(V2_CONTEXT_BYTES);
            sha256.update(ByteBuffer.allocate(2).putShort((short) id.length).array());
            sha256.update(id);
            sha256.update(ByteBuffer.allocate(8).putLong(result.length).array());
        } else {
            sha256.update(id);
        }
        sha256.update(result);
        nodeId.appendTo(sha256);
        return sha256.digest();
    }

    /** The v1 layout, as {@link #of(MessageDigest, PoeVersion, String, byte[], NodeId)}. */
    static byte[] v1(MessageDigest sha256, String requestId, byte[] result, NodeId nodeId) {
        return of(sha256, PoeVersion.V1, requestId, result, nodeId);
    }

    /** How a verdict names the layout that did not match. */
    static String formula(PoeVersion version) {
        return version == PoeVersion.V2
                ? "SHA-256(\"pxnode-poe-v2\\0\" || u16be(len(request_id)) || request_id || u64be(len(result))"
                        + " || result || node_id)"
                : "SHA-256(request_id || result || node_id)";
    }
}
