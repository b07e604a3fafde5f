package io.parallelix.node.daemon.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Base64;

/**
 * Writes an {@link Envelope} as JSON, byte for byte what the wire mapper writes for the record
 * (EnvelopeJsonTest compares them), but with the two binary fields base64-encoded by the JDK's
 * intrinsic encoder and copied in raw instead of Jackson's byte-by-byte encoder: for a MiniLM
 * result at 128 tokens (196 KB) that was about a millisecond of CPU per request, a sixth of the
 * node's Java time (docs/benchmarks.md).
 */
public final class EnvelopeJson {
    private static final int META_ALLOWANCE = 1024;

    private final ObjectMapper mapper;

    public EnvelopeJson(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** An upper bound for most envelopes, so the output buffer is sized once. */
    public static int sizeHint(Envelope e) {
        long size = base64Length(e.result().length)
                + base64Length(e.sig().length)
                + e.requestId().length()
                + e.nodeId().length()
                + e.poe().length()
                + META_ALLOWANCE;
        return (int) Math.min(Integer.MAX_VALUE - 8, size);
    }

    public void write(Envelope e, OutputStream out) throws IOException {
        try (JsonGenerator g = mapper.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("request_id", e.requestId());
            g.writeStringField("node_id", e.nodeId());
            g.writeFieldName("result");
            writeBase64(g, e.result());
            g.writeStringField("result_format", e.resultFormat());
            g.writeStringField("poe", e.poe());
            g.writeFieldName("sig");
            writeBase64(g, e.sig());
            g.writeStringField("sig_alg", e.sigAlg());
            g.writeNumberField("poe_version", e.poeVersion());
            g.writeFieldName("meta");
            mapper.writeValue(g, e.meta());
            g.writeEndObject();
        }
    }

    /** Base64 (RFC 4648, padded: Jackson's default variant) needs no JSON escaping: written as is. */
    private static void writeBase64(JsonGenerator g, byte[] bytes) throws IOException {
        byte[] text = Base64.getEncoder().encode(bytes);
        g.writeRawUTF8String(text, 0, text.length);
    }

    private static long base64Length(int bytes) {
        return 4L * ((bytes + 2L) / 3);
    }
}
