package io.parallelix.node.daemon.protocol;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The body of a /v1/embeddings answer, which is also its signed result, so its bytes are fixed by
 * the vectors alone (docs/protocol.md, "OpenAI embeddings answer"): OpenAI's fields in OpenAI's
 * order, no whitespace, each float32 as {@link Float#toString(float)} writes it (JDK 19+: the
 * shortest decimal that reads back as the same float; always a valid JSON number), or base64 of
 * its little-endian bytes. Equal vectors give equal bytes on every node.
 */
public final class EmbeddingJson {
    /** The Pxnode-Result-Format of these answers. */
    public static final String RESULT_FORMAT = "openai.embeddings.v1+json";

    private EmbeddingJson() {}

    /** Without pxnode's runtime field (OpenAI's body alone). */
    public static byte[] write(
            String model, List<float[]> vectors, EmbeddingsRequest.Encoding encoding, int promptTokens) {
        return write(model, vectors, encoding, promptTokens, null);
    }

    /**
     * Throws IllegalArgumentException for a NaN or infinite value: JSON has no form for them. With
     * {@code runtime}, the body ends in {@code ,"pxnode":{"runtime":{...}}} (the signed fingerprint).
     */
    public static byte[] write(
            String model,
            List<float[]> vectors,
            EmbeddingsRequest.Encoding encoding,
            int promptTokens,
            @Nullable ResultRuntime runtime) {
        int per = vectors.isEmpty() ? 0 : vectors.get(0).length;
        StringBuilder sb = new StringBuilder(96 + model.length() + vectors.size() * (48 + per * 14));
        sb.append("{\"object\":\"list\",\"data\":[");
        for (int i = 0; i < vectors.size(); i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"object\":\"embedding\",\"index\":")
                    .append(i);
            sb.append(",\"embedding\":");
            float[] v = vectors.get(i);
            if (encoding == EmbeddingsRequest.Encoding.BASE64) {
                sb.append('"').append(base64(v, i)).append('"');
            } else {
                floats(sb, v, i);
            }
            sb.append('}');
        }
        sb.append("],\"model\":");
        string(sb, model);
        sb.append(",\"usage\":{\"prompt_tokens\":").append(promptTokens);
        sb.append(",\"total_tokens\":").append(promptTokens).append('}');
        if (runtime != null) {
            sb.append(",\"pxnode\":{\"runtime\":").append(runtime.json()).append('}');
        }
        sb.append('}');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void floats(StringBuilder sb, float[] v, int index) {
        sb.append('[');
        for (int j = 0; j < v.length; j++) {
            finite(v[j], index, j);
            sb.append(j == 0 ? "" : ",").append(Float.toString(v[j]));
        }
        sb.append(']');
    }

    private static String base64(float[] v, int index) {
        ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int j = 0; j < v.length; j++) {
            finite(v[j], index, j);
            b.putFloat(v[j]);
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    private static void finite(float f, int index, int j) {
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("embedding " + index + " has " + f + " at " + j);
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped, everything else as it is. */
    private static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }
}
