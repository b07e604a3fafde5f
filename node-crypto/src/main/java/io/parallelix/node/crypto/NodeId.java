package io.parallelix.node.crypto;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A node's identity: SHA-256 of the DER SubjectPublicKeyInfo of its RSA public key. Derived from
 * the key, never configured. Raw 32 bytes inside the PoE commitment, lowercase hex on the wire.
 * Immutable; {@link #equals} runs in constant time.
 */
public final class NodeId {
    public static final int LENGTH = 32;

    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private NodeId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static NodeId of(PublicKey publicKey) {
        byte[] spki = publicKey.getEncoded();
        if (spki == null || !"X.509".equals(publicKey.getFormat())) {
            throw new IllegalArgumentException("public key has no X.509 (SubjectPublicKeyInfo) encoding");
        }
        return new NodeId(sha256(spki));
    }

    /**
     * Parses 64 lowercase or uppercase hex digits (typed by a person); anything else is an
     * IllegalArgumentException.
     */
    public static NodeId fromHex(String hex) {
        return tryFromHex(hex.toLowerCase(Locale.ROOT))
                .orElseThrow(() -> new IllegalArgumentException("node_id must be 64 hex digits (SHA-256), got "
                        + hex.length() + " characters: \"" + Printable.truncate(hex) + "\""));
    }

    /**
     * 64 lowercase hex digits, the wire's only spelling, or empty: for input received from the
     * network, so a verifier accepts one encoding of a node_id as it does of a poe.
     */
    static Optional<NodeId> tryFromHex(String hex) {
        byte[] bytes = hex.length() == 2 * LENGTH ? WireHex.parse(hex) : null;
        return bytes == null ? Optional.empty() : Optional.of(new NodeId(bytes));
    }

    /** A copy of the 32 raw bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** 64 lowercase hex digits. */
    public String hex() {
        return HEX.formatHex(bytes);
    }

    /** Feeds the raw bytes to a digest or signature without copying them out. */
    void appendTo(MessageDigest digest) {
        digest.update(bytes);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof NodeId other && MessageDigest.isEqual(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return hex();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
