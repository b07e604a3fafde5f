package io.parallelix.node.crypto;

import static io.parallelix.node.crypto.StreamFixture.bytes;
import static io.parallelix.node.crypto.StreamFixture.concat;
import static io.parallelix.node.crypto.StreamFixture.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Base64;
import java.util.Locale;

/**
 * The negative cases of openai-stream-v1.json: RS256 streams (deterministic, so the file is
 * reproducible byte for byte) with one thing wrong each, and the check that must fail.
 */
final class StreamNegativeVectors {
    private static final String ID = "req_01J9ZS0001";
    private static final String OTHER_ID = "req_01J9ZS0002";

    private final ObjectMapper json = new ObjectMapper();
    private final NodeKey key;
    private final String meta;

    StreamNegativeVectors(NodeKey key, String meta) {
        this.key = key;
        this.meta = meta;
    }

    ArrayNode build(byte[] events, byte[] otherEvents) {
        ArrayNode out = json.createArrayNode();
        String good = text(signed(ID, events));
        String t = good.substring(good.indexOf(SignedStream.PREFIX));
        String ev = text(events);
        StreamTrailer trailer = ((SignedStream.Framed) SignedStream.read(bytes(good))).trailer();
        String poe = trailer.poe();
        String sig = trailer.sig();

        // the result
        add(out, "flipped-result-byte", flipChar(good, 20), "poe");
        add(out, "dropped-first-event", good.substring(good.indexOf("data: ", 1)), "poe");
        add(
                out,
                "another-streams-trailer",
                ev
                        + text(signed(OTHER_ID, otherEvents))
                                .substring(text(otherEvents).length()),
                "poe");
        // the trailer's values
        add(out, "flipped-poe-digit", good.replace(poe, (poe.charAt(0) == '0' ? "1" : "0") + poe.substring(1)), "poe");
        add(out, "uppercase-poe", good.replace(poe, poe.toUpperCase(Locale.ROOT)), "poe");
        String nodeId = key.nodeId().hex();
        add(out, "uppercase-node-id", good.replace(nodeId, nodeId.toUpperCase(Locale.ROOT)), "node_id");
        add(out, "short-poe", good.replace(poe, poe.substring(2)), "poe");
        add(out, "poe-version-2", good.replace("\"poe_version\":1", "\"poe_version\":2"), "poe");
        add(out, "flipped-sig-byte", good.replace(sig, flipB64(sig)), "signature");
        add(out, "over-padded-sig", good.replace(sig, sig + "=="), "signature");
        add(out, "url-safe-sig", good.replace(sig, sig.replace('+', '-').replace('/', '_')), "signature");
        add(out, "changed-request-id", good.replace(ID, OTHER_ID), "poe");
        add(out, "invalid-request-id", good.replace(ID, "req 01J9ZS0001"), "request_id");
        out.add(negative("another-allocated-id", good, "request_id").put("expected_request_id", OTHER_ID));
        add(out, "unknown-sig-alg", good.replace("\"RS256\"", "\"RS512\""), "sig_alg");
        add(out, "rs256-presented-as-ps256", good.replace("\"RS256\"", "\"PS256\""), "signature");
        add(out, "another-nodes-id", good.replace(trailer.nodeId(), otherNodeId()), "node_id");
        // the framing
        add(
                out,
                "no-trailer-error-event",
                ev + "data: {\"error\":{\"message\":\"the model failed\",\"type\":"
                        + "\"server_error\",\"code\":\"model_failed\"}}\n\ndata: [DONE]\n\n",
                "stream");
        add(out, "events-only", ev, "stream");
        add(out, "two-trailers", good + t, "stream");
        add(out, "event-after-trailer", good + "data: {}\n\n", "stream");
        add(out, "missing-done", good.substring(0, good.length() - "data: [DONE]\n\n".length()), "stream");
        add(out, "truncated-in-trailer", good.substring(0, good.indexOf("\"sig_alg\"")), "stream");
        add(out, "truncated-mid-event", ev.substring(0, ev.length() / 2), "stream");
        add(out, "crlf-line-ends", good.replace("\n", "\r\n"), "stream");
        add(out, "crlf-after-trailer", good.replace(SignedStream.END, "\r\n\r\ndata: [DONE]\r\n\r\n"), "stream");
        add(
                out,
                "trailer-after-single-newline",
                good.replace("\n\n" + SignedStream.PREFIX, "\n" + SignedStream.PREFIX),
                "stream");
        add(out, "trailer-missing-sig", good.replace(",\"sig\":\"" + sig + "\"", ""), "stream");
        add(out, "trailer-unknown-field", good.replace(",\"meta\":", ",\"extra\":\"x\",\"meta\":"), "stream");
        add(out, "trailer-repeated-poe", good.replace(",\"meta\":", ",\"poe\":\"" + poe + "\",\"meta\":"), "stream");
        add(out, "trailer-with-whitespace", good.replace(",\"sig_alg\":", ", \"sig_alg\": "), "stream");
        add(out, "poe-version-as-string", good.replace("\"poe_version\":1", "\"poe_version\":\"1\""), "stream");
        add(out, "poe-version-float", good.replace("\"poe_version\":1", "\"poe_version\":1.0"), "stream");
        add(out, "trailer-non-ascii", good.replace("\"result_format\":\"", "\"result_format\":\"\u00e9"), "stream");
        add(out, "meta-unbalanced", good.replace(",\"meta\":{", ",\"meta\":{["), "stream");
        return out;
    }

    /** A real node's id, not this key's: the built-in self-test key's. */
    private static String otherNodeId() {
        try {
            return SelfTestKey.load().nodeId().hex();
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] signed(String requestId, byte[] events) {
        try {
            SignedResult s = new ResultSigner(key, SigAlg.RS256, CryptoProvider.JDK).sign(requestId, events);
            return concat(events, SignedStream.trailer(s, StreamVectorGenerator.COMPLETIONS, meta));
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    private void add(ArrayNode out, String name, String stream, String check) {
        out.add(negative(name, stream, check));
    }

    /** stream: ISO-8859-1 text of the bytes (one char per byte: edits keep the UTF-8 of the events). */
    private ObjectNode negative(String name, String stream, String check) {
        ObjectNode c = json.createObjectNode();
        c.put("name", name);
        c.put("stream_b64", Base64.getEncoder().encodeToString(bytes(stream)));
        c.put("expect_failed_check", check);
        return c;
    }

    private static String flipChar(String s, int at) {
        return s.substring(0, at) + (char) (s.charAt(at) ^ 1) + s.substring(at + 1);
    }

    private static String flipB64(String b64) {
        byte[] b = Base64.getDecoder().decode(b64);
        b[b.length / 2] ^= 1;
        return Base64.getEncoder().encodeToString(b);
    }
}
