package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.ErrorMapping;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.EnvelopeJson;
import io.parallelix.node.daemon.protocol.ErrorBody;
import io.parallelix.node.daemon.protocol.OpenAiError;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Builds responses; JSON is serialized straight into a pooled buffer. */
final class Responses {
    private final ObjectMapper mapper;
    private final EnvelopeJson envelopes;

    Responses(ObjectMapper mapper) {
        this.mapper = mapper;
        this.envelopes = new EnvelopeJson(mapper);
    }

    /** An infer answer: the buffer is sized for the base64 result up front instead of doubling into it. */
    FullHttpResponse envelope(ByteBufAllocator alloc, Envelope envelope) {
        ByteBuf buf = alloc.buffer(EnvelopeJson.sizeHint(envelope));
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
            envelopes.write(envelope, out);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        return withBody(HttpResponseStatus.OK, buf, HttpHeaderValues.APPLICATION_JSON.toString());
    }

    FullHttpResponse json(ByteBufAllocator alloc, HttpResponseStatus status, Object body) {
        ByteBuf buf = alloc.buffer();
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
            mapper.writeValue((java.io.OutputStream) out, body);
        } catch (IOException | RuntimeException e) {
            buf.release();
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
        return withBody(status, buf, HttpHeaderValues.APPLICATION_JSON.toString());
    }

    FullHttpResponse error(ByteBufAllocator alloc, ApiException e) {
        return error(alloc, e, ErrorShape.NODE);
    }

    /** The error in the shape of the path it answers; an OpenAI-shaped one carries its request id in a header. */
    FullHttpResponse error(ByteBufAllocator alloc, ApiException e, ErrorShape shape) {
        HttpResponseStatus status = HttpResponseStatus.valueOf(ErrorMapping.httpStatus(e));
        String code = ErrorMapping.code(e);
        FullHttpResponse r = switch (shape) {
            case NODE -> json(alloc, status, new ErrorBody(e.getMessage(), code, e.requestId()));
            case OPENAI ->
                json(
                        alloc,
                        status,
                        OpenAiError.of(e.getMessage(), ErrorMapping.openAiType(e), ErrorMapping.field(e), code));
        };
        if (shape == ErrorShape.OPENAI && e.requestId() != null) {
            r.headers().set(SignedHeaders.REQUEST_ID, e.requestId());
        }
        if (shape == ErrorShape.OPENAI && !worthRetrying(e)) {
            r.headers().set("x-should-retry", "false"); // OpenAI's clients retry every 409 and 5xx unless told
        }
        if (e instanceof ApiException.Overloaded o) {
            r.headers().set(HttpHeaderNames.RETRY_AFTER, o.retryAfterSeconds());
        } else if (e instanceof ApiException.MethodNotAllowed m) {
            r.headers().set(HttpHeaderNames.ALLOW, m.allow());
        }
        return r;
    }

    /** A replayed id stays replayed, and a model that produced NaN for these inputs will again. */
    private static boolean worthRetrying(ApiException e) {
        return !(e instanceof ApiException.Conflict)
                && !(e instanceof ApiException.Internal i && i.code().equals("model_failed"));
    }

    static FullHttpResponse withBody(HttpResponseStatus status, ByteBuf body, String contentType) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
        return r;
    }
}
