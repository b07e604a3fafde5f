package io.parallelix.node.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Signed streams for tests: OpenAI-style events, signed as the node signs them, with the trailer. */
final class StreamFixture {
    static final String FORMAT = "openai.completions.v1+sse";
    static final String META = "{\"model\":\"test-gen\",\"timings_us\":{\"total\":12}}";

    private StreamFixture() {}

    /** {@code data: <json>\n\n} for each event. */
    static byte[] events(String... json) {
        StringBuilder b = new StringBuilder();
        for (String j : json) {
            b.append("data: ").append(j).append("\n\n");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    static byte[] completion() {
        return events(
                "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"test-gen\","
                        + "\"choices\":[{\"index\":0,\"text\":\"Hello\",\"logprobs\":null,\"finish_reason\":null}]}",
                "{\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"test-gen\","
                        + "\"choices\":[{\"index\":0,\"text\":\" w\u00f6rld\",\"logprobs\":null,\"finish_reason\":\"length\"}]}");
    }

    static byte[] signed(NodeKey key, SigAlg alg, String requestId, byte[] result) {
        try {
            SignedResult s = new ResultSigner(key, alg, CryptoProvider.JDK).sign(requestId, result);
            return concat(result, SignedStream.trailer(s, FORMAT, META));
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** The stream as text (ISO-8859-1: one char per byte, so edits keep every other byte). */
    static String text(byte[] raw) {
        return new String(raw, StandardCharsets.ISO_8859_1);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The stream with its first {@code from} replaced by {@code to}; fails when from is absent. */
    static byte[] replace(byte[] raw, String from, String to) {
        String t = text(raw);
        int at = t.indexOf(from);
        if (at < 0) {
            throw new IllegalArgumentException("no " + from + " in the stream");
        }
        return bytes(t.substring(0, at) + to + t.substring(at + from.length()));
    }
}
