package io.parallelix.node.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A signed SSE stream checked by hand, from docs/protocol.md's definitions and none of pxnode's
 * verifier code: the result is every byte before the {@code : pxnode-poe } line, poe =
 * SHA-256(UTF-8(request_id) || result || node_id's 32 bytes), and sig is RSASSA-PSS (SHA-256,
 * MGF1-SHA-256, salt 32) over result || poe; the stream ends with {@code data: [DONE]}.
 */
final class StreamProof {
    private static final byte[] TRAILER = "\n\n: pxnode-poe ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    record Checked(byte[] result, String requestId, String nodeId, JsonNode trailer, boolean valid) {}

    private StreamProof() {}

    static Checked check(byte[] raw, PublicKey key) throws Exception {
        int at = indexOf(raw, TRAILER);
        if (at < 0) {
            throw new AssertionError("no trailer in " + new String(raw, StandardCharsets.UTF_8));
        }
        byte[] result = Arrays.copyOf(raw, at + 2);
        int lineStart = at + TRAILER.length;
        int lineEnd = indexOf(raw, DONE, lineStart);
        if (lineEnd < 0 || lineEnd + DONE.length != raw.length) {
            throw new AssertionError("the stream must end with the trailer line, then data: [DONE]");
        }
        JsonNode t =
                new ObjectMapper().readTree(new String(raw, lineStart, lineEnd - lineStart, StandardCharsets.US_ASCII));
        String requestId = t.get("request_id").asText();
        String nodeId = t.get("node_id").asText();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(requestId.getBytes(StandardCharsets.UTF_8));
        sha.update(result);
        sha.update(HexFormat.of().parseHex(nodeId));
        byte[] poe = sha.digest();
        boolean poeOk =
                MessageDigest.isEqual(poe, HexFormat.of().parseHex(t.get("poe").asText()));
        Signature pss = Signature.getInstance("RSASSA-PSS");
        pss.setParameter(new PSSParameterSpec(
                "SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, PSSParameterSpec.TRAILER_FIELD_BC));
        pss.initVerify(key);
        pss.update(result);
        pss.update(poe);
        boolean sigOk = pss.verify(Base64.getDecoder().decode(t.get("sig").asText()));
        boolean rest = t.get("sig_alg").asText().equals("PS256")
                && t.get("poe_version").asInt() == 1;
        return new Checked(result, requestId, nodeId, t, poeOk && sigOk && rest);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        return indexOf(hay, needle, 0);
    }

    private static int indexOf(byte[] hay, byte[] needle, int from) {
        outer:
        for (int i = from; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
