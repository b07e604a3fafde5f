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
 * data is JSON, which never holds a raw newline, so the first line starting with {@link #PREFIX}
 * is the trailer. This class is the one definition the node writes and the verifiers read.
 */
public final class SignedStream {
    /** The trailer line's start: an SSE comment (a line beginning with ':'). */
    public static final String PREFIX = ": pxnode-poe ";
    /** What follows the trailer line, exactly. */
    public static final String END = "\n\ndata: [DONE]\n\n";

    private SignedStream() {}

    /**
     * The trailer and the stream's end for a signed stream. {@code metaJson} is the unsigned meta
     * as one line of JSON (an object); it is written as given.
     */
    public static byte[] trailer(SignedResult signed, String resultFormat, String metaJson) {
        if (metaJson.indexOf('\n') >= 0 || metaJson.indexOf('\r') >= 0 || !metaJson.startsWith("{")) {
            throw new IllegalArgumentException("meta must be one line of JSON, an object");
        }
        String line = PREFIX
                + "{\"request_id\":" + quote(signed.requestId())
                + ",\"node_id\":" + quote(signed.nodeId().hex())
                + ",\"result_format\":" + quote(resultFormat)
                + ",\"poe\":" + quote(signed.poeHex())
                + ",\"sig\":" + quote(Base64.getEncoder().encodeToString(signed.sig()))
                + ",\"sig_alg\":" + quote(signed.sigAlg().wireName())
                + ",\"poe_version\":" + ProofOfExecution.VERSION
                + ",\"meta\":" + metaJson + "}" + END;
        return line.getBytes(StandardCharsets.UTF_8);
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
