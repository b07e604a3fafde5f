package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufInputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.Challenge;
import io.parallelix.node.daemon.protocol.Envelope;
import java.io.IOException;
import java.util.Base64;
import java.util.Locale;

/**
 * Content negotiation for the node's POST endpoints: what a request body may be, and the two
 * forms of an envelope (JSON, or raw result bytes with the other fields in headers).
 */
final class WireFormat {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";
    static final String OCTET_STREAM = "application/octet-stream";

    private final ObjectMapper mapper;
    private final Responses responses;

    WireFormat(ObjectMapper mapper, Responses responses) {
        this.mapper = mapper;
        this.responses = responses;
    }

    /** Checks Content-Type and the binary extension header; returns the JSON length or -1. */
    int requireInferContent(FullHttpRequest req) {
        String type = mediaType(req);
        String header = req.headers().get(HEADER_LENGTH);
        if (header == null) {
            if (!type.equals("application/json")) {
                throw new ApiException.UnsupportedMediaType(
                        "Content-Type must be application/json (or application/octet-stream with " + HEADER_LENGTH
                                + "), got '" + type + "'");
            }
            return -1;
        }
        if (!type.equals("application/json") && !type.equals(OCTET_STREAM)) {
            throw new ApiException.UnsupportedMediaType(
                    "Content-Type must be application/octet-stream or application/json, got '" + type + "'");
        }
        try {
            int n = Integer.parseInt(header.trim());
            if (n <= 0 || n > req.content().readableBytes()) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest(
                    HEADER_LENGTH,
                    "must be between 1 and the body length " + req.content().readableBytes());
        }
    }

    boolean wantsBinary(FullHttpRequest req) {
        String accept = req.headers().get(HttpHeaderNames.ACCEPT);
        return accept != null && accept.toLowerCase(Locale.ROOT).contains(OCTET_STREAM);
    }

    Challenge.Request readChallenge(FullHttpRequest req) {
        String type = mediaType(req);
        if (!type.equals("application/json")) {
            throw new ApiException.UnsupportedMediaType("Content-Type must be application/json, got '" + type + "'");
        }
        try (ByteBufInputStream in = new ByteBufInputStream(req.content().duplicate())) {
            Challenge.Request r = mapper.readValue((java.io.InputStream) in, Challenge.Request.class);
            if (r == null || r.nonce() == null) { // "null", {} and {"nonce": null} all bind
                throw new ApiException.BadRequest("nonce", "is required");
            }
            return r;
        } catch (IOException e) {
            throw new ApiException.BadRequest("nonce", "body must be {\"nonce\": \"<hex>\"}");
        }
    }

    FullHttpResponse response(ByteBufAllocator alloc, Envelope envelope, boolean binary) {
        if (!binary) {
            return responses.envelope(alloc, envelope);
        }
        FullHttpResponse r =
                Responses.withBody(HttpResponseStatus.OK, Unpooled.wrappedBuffer(envelope.result()), OCTET_STREAM);
        r.headers()
                .set("Pxnode-Request-Id", envelope.requestId())
                .set("Pxnode-Node-Id", envelope.nodeId())
                .set("Pxnode-Result-Format", envelope.resultFormat())
                .set("Pxnode-Poe", envelope.poe())
                .set("Pxnode-Sig", Base64.getEncoder().encodeToString(envelope.sig()))
                .set("Pxnode-Sig-Alg", envelope.sigAlg())
                .set("Pxnode-Poe-Version", envelope.poeVersion())
                .set("Pxnode-Meta", meta(envelope));
        return r;
    }

    private String meta(Envelope envelope) {
        try {
            return mapper.writeValueAsString(envelope.meta());
        } catch (IOException e) {
            throw new IllegalStateException("meta is always serializable", e);
        }
    }

    private static String mediaType(FullHttpRequest req) {
        String ct = req.headers().get(HttpHeaderNames.CONTENT_TYPE);
        if (ct == null) {
            throw new ApiException.UnsupportedMediaType("Content-Type is required");
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }
}
