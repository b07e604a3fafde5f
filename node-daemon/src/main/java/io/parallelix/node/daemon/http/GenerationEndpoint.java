package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.SignedStream;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.ErrorMapping;
import io.parallelix.node.daemon.protocol.CompletionsRequest;
import io.parallelix.node.daemon.protocol.CompletionsRequest.Api;
import io.parallelix.node.daemon.protocol.GenerationDecoder;
import io.parallelix.node.daemon.protocol.GenerationJson;
import io.parallelix.node.daemon.protocol.ModelPeek;
import io.parallelix.node.daemon.protocol.OpenAiError;
import io.parallelix.node.daemon.service.SignedAnswer;
import io.parallelix.node.daemon.task.GenerationRunner;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * POST /v1/completions and POST /v1/chat/completions, OpenAI-compatible, one instance per API. On
 * the event loop: Content-Type, the request id (header or allocated) and the body's model; the
 * decoder runs on the worker. A whole answer's body is the signed result with its PoE in the
 * Pxnode-* headers, as embeddings'. A streamed one ({@code "stream": true}) is Server-Sent Events:
 * the runner's events as they come, then {@link SignedStream}'s trailer (the PoE over every byte
 * before it) and {@code data: [DONE]}; a failure after the first event is one OpenAI-shaped error
 * event, and the stream ends without a PoE.
 */
public final class GenerationEndpoint implements TaskEndpoint {
    /** The parts of this kind: decoder, runner, the model peek, where request ids come from. */
    public record Parts(GenerationDecoder decoder, GenerationRunner runner, ModelPeek peek, RequestIdHeader ids) {}

    private final Api api;
    private final Parts parts;
    private final ObjectMapper mapper;
    private final PoeHeaders headers;

    public GenerationEndpoint(Api api, Parts parts, ObjectMapper mapper) {
        this.api = api;
        this.parts = parts;
        this.mapper = mapper;
        this.headers = new PoeHeaders(mapper);
    }

    @Override
    public Prepared<CompletionsRequest> prepare(FullHttpRequest req, Route route) {
        OpenAiBody in = OpenAiBody.read(req, parts.ids(), parts.peek());
        return new Prepared<>(
                in.model(),
                () -> parts.decoder().decode(in.body(), in.requestId(), in.model(), api),
                parts.runner(),
                new Form(in.requestId()));
    }

    /** One request's answer: its request id is known before the worker decodes the body. */
    private final class Form implements AnswerForm {
        private final String requestId;

        Form(String requestId) {
            this.requestId = requestId;
        }

        @Override
        public FullHttpResponse full(ByteBufAllocator alloc, SignedAnswer a) {
            FullHttpResponse r =
                    Responses.withBody(HttpResponseStatus.OK, Unpooled.wrappedBuffer(a.result()), MediaTypes.JSON);
            headers.write(r.headers(), a);
            return r;
        }

        @Override
        public HttpResponse streamHead() {
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            r.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                    .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                    .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                    .set(SignedHeaders.REQUEST_ID, requestId)
                    .set(SignedHeaders.RESULT_FORMAT, GenerationJson.resultFormat(api, true));
            return r;
        }

        @Override
        public ByteBuf streamEnd(ByteBufAllocator alloc, SignedAnswer a) {
            return Unpooled.wrappedBuffer(SignedStream.trailer(a.signed(), a.resultFormat(), json(a.meta())));
        }

        @Override
        public ByteBuf streamError(ByteBufAllocator alloc, ApiException e) {
            OpenAiError error = OpenAiError.of(
                    e.getMessage(), ErrorMapping.openAiType(e), ErrorMapping.field(e), ErrorMapping.code(e));
            return Unpooled.wrappedBuffer(GenerationJson.utf8("data: " + json(error) + "\n\n"));
        }
    }

    /** One line of JSON: Jackson writes no raw newline, and escapes those in strings. */
    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
