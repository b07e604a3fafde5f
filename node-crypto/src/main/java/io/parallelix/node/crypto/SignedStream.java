package io.parallelix.node.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The PoE of a streamed answer (Server-Sent Events, OpenAI's {@code stream: true}): the signed
 * result is every byte of the event stream before the trailer, and the trailer is one SSE comment
 * line, which SSE clients skip, followed by the stream's usual end (docs/protocol.md, "Signed
 * streams"):
 *
 * <pre>
 * ...data: {last chunk}\n\n
 * : pxnode-poe {"request_id":"..","node_id":"..","result_format":"..","poe":"..","sig":"..","sig_alg":"..","poe_version":1,"meta":{..}}\n\n
 * data: [DONE]\n\n
 * </pre>
 *
 * The trailer's JSON is one line of ASCII with the envelope's field names and no result; event
 * data is JSON, which never holds a raw newline, so a line starting with {@link #PREFIX} can only
 * be the trailer, and a signed stream has exactly one. This class is the one definition the node writes ({@link #trailer}) and the
 * verifiers read ({@link #read}).
 */
public final class SignedStream {
    /** The trailer line's start: an SSE comment (a line beginning with ':'). */
    public static final String PREFIX = ": pxnode-poe ";
    /** What follows the trailer line, exactly. */
    public static final String END = "\n\ndata: [DONE]\n\n";
    /** The longest trailer JSON a reader takes, in bytes; the node's are a few hundred. */
    public static final int MAX_TRAILER = 16 * 1024;

    private SignedStream() {}

    /** A received stream split at its trailer, or why it is not a signed stream. */
    public sealed interface Read {}

    /** {@code result}: the signed bytes, everything before the trailer line (a fresh array). */
    @SuppressWarnings("ArrayRecordComponent") // a short-lived carrier, never compared
    public record Framed(byte[] result, StreamTrailer trailer) implements Read {}

    public record Malformed(String detail) implements Read {}

    /**
     * The trailer and the stream's end for a signed stream. {@code metaJson} is the unsigned meta
     * as one line of JSON (an object); it is written as given, except that characters beyond ASCII
     * become {@code \\u} escapes (the trailer is ASCII). IllegalArgumentException when it is not
     * an object in {@link TrailerJson}'s grammar or holds a control character: what the readers
     * would refuse is never written (nor a trailer over {@link #MAX_TRAILER}).
     */
    public static byte[] trailer(SignedResult signed, String resultFormat, String metaJson) {
        String meta = asciiMeta(metaJson);
        String line = PREFIX
                + "{\"request_id\":" + quote(signed.requestId())
                + ",\"node_id\":" + quote(signed.nodeId().hex())
                + ",\"result_format\":" + quote(resultFormat)
                + ",\"poe\":" + quote(signed.poeHex())
                + ",\"sig\":" + quote(Base64.getEncoder().encodeToString(signed.sig()))
                + ",\"sig_alg\":" + quote(signed.sigAlg().wireName())
                + ",\"poe_version\":" + signed.poeVersion().number()
                + ",\"meta\":" + meta + "}";
        if (line.length() - PREFIX.length() > MAX_TRAILER) {
            throw new IllegalArgumentException("the trailer would be " + (line.length() - PREFIX.length())
                    + " bytes; readers take at most " + MAX_TRAILER);
        }
        return (line + END).getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Splits a stream as received (the body's bytes once HTTP framing is gone): exactly one line
     * starts with {@link #PREFIX} (a line starts at byte 0 or after CR or LF), it is the first
     * line or follows a blank line ({@code "\n\n"}), {@link #END} and nothing else follows it,
     * and its JSON is printable ASCII of at most {@link #MAX_TRAILER} bytes in {@link TrailerJson}'s
     * grammar with exactly the trailer's fields and types. An empty result (the trailer at byte 0)
     * is allowed. Never throws.
     */
    public static Read read(byte[] raw) {
        return StreamFraming.split(raw);
    }

    private static String asciiMeta(String metaJson) {
        StringBuilder b = new StringBuilder(metaJson.length());
        for (int i = 0; i < metaJson.length(); i++) {
            char c = metaJson.charAt(i);
            if (c < 0x20) {
                throw new IllegalArgumentException(
                        "meta must be one line of JSON, an object: it has " + Printable.describe(c) + " at index " + i);
            }
            b.append(c > 0x7e ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        String meta = b.toString();
        try {
            if (TrailerJson.parse("{\"meta\":" + meta + "}").get("meta") instanceof TrailerJson.Value.Nested) {
                return meta;
            }
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("meta must be one line of JSON, an object: " + e.getMessage(), e);
        }
        throw new IllegalArgumentException("meta must be one line of JSON, an object");
    }

    /** Request ids, digests and format names are printable ASCII; quotes and backslashes are escaped anyway. */
    private static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
