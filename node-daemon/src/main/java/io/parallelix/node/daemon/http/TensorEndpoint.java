package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.parallelix.node.crypto.SignedResult;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.DecodedRequest;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.InferRequestDecoder;
import io.parallelix.node.daemon.service.SignedAnswer;
import io.parallelix.node.daemon.task.TensorRunner;
import java.util.Objects;

/**
 * The OIP tensor task's wire form: a JSON body, or JSON + binary tensors after
 * Inference-Header-Content-Length; answered as an envelope (JSON), or with
 * {@code Accept: application/octet-stream} as the raw result with the other fields in headers.
 */
public final class TensorEndpoint implements TaskEndpoint {
    static final String HEADER_LENGTH = "Inference-Header-Content-Length";

    private final InferRequestDecoder decoder;
    private final TensorRunner runner;
    private final Responses responses;
    private final PoeHeaders headers;

    public TensorEndpoint(InferRequestDecoder decoder, TensorRunner runner, ObjectMapper mapper) {
        this.decoder = decoder;
        this.runner = runner;
        this.responses = new Responses(mapper);
        this.headers = new PoeHeaders(mapper);
    }

    @Override
    public Prepared<DecodedRequest> prepare(FullHttpRequest req, Route route) {
        int jsonLength = jsonLength(req);
        boolean binary = MediaTypes.accepts(req, MediaTypes.OCTET_STREAM);
        byte[] body = ByteBufUtil.getBytes(req.content());
        AnswerForm form = (alloc, answer) -> binary ? raw(answer) : responses.envelope(alloc, envelope(answer));
        return new Prepared<>(
                Objects.requireNonNull(route.model()), () -> decoder.decode(body, jsonLength), runner, form);
    }

    /** Checks Content-Type and the binary extension header; returns the JSON length or -1. */
    private static int jsonLength(FullHttpRequest req) {
        String type = MediaTypes.of(req);
        String header = req.headers().get(HEADER_LENGTH);
        if (header == null) {
            if (!type.equals(MediaTypes.JSON)) {
                throw new ApiException.UnsupportedMediaType(
                        "Content-Type must be application/json (or application/octet-stream with " + HEADER_LENGTH
                                + "), got '" + type + "'");
            }
            return -1;
        }
        if (!type.equals(MediaTypes.JSON) && !type.equals(MediaTypes.OCTET_STREAM)) {
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

    static Envelope envelope(SignedAnswer a) {
        SignedResult s = a.signed();
        return new Envelope(
                a.requestId(),
                s.nodeId().hex(),
                a.result(),
                a.resultFormat(),
                s.poeHex(),
                s.sig(),
                s.sigAlg().wireName(),
                s.poeVersion().number(),
                a.meta());
    }

    private FullHttpResponse raw(SignedAnswer a) {
        FullHttpResponse r =
                Responses.withBody(HttpResponseStatus.OK, Unpooled.wrappedBuffer(a.result()), MediaTypes.OCTET_STREAM);
        headers.write(r.headers(), a);
        return r;
    }
}
