package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.parallelix.node.daemon.protocol.EmbeddingsDecoder;
import io.parallelix.node.daemon.protocol.EmbeddingsRequest;
import io.parallelix.node.daemon.protocol.ModelPeek;
import io.parallelix.node.daemon.service.SignedAnswer;
import io.parallelix.node.daemon.task.EmbeddingRunner;

/**
 * POST /v1/embeddings, OpenAI-compatible. On the event loop: Content-Type, the request id (header
 * or allocated), a copy of the body and its model (read by {@link ModelPeek}, which the queue
 * needs); the decoder runs on the worker. The answer's body is exactly the signed result, with its
 * PoE in the Pxnode-* headers.
 */
public final class EmbeddingsEndpoint implements TaskEndpoint {
    /** The parts of this kind: decoder, runner, the model peek, where request ids come from. */
    public record Parts(EmbeddingsDecoder decoder, EmbeddingRunner runner, ModelPeek peek, RequestIdHeader ids) {}

    private final Parts parts;
    private final PoeHeaders headers;

    public EmbeddingsEndpoint(Parts parts, ObjectMapper mapper) {
        this.parts = parts;
        this.headers = new PoeHeaders(mapper);
    }

    @Override
    public Prepared<EmbeddingsRequest> prepare(FullHttpRequest req, Route route) {
        OpenAiBody in = OpenAiBody.read(req, parts.ids(), parts.peek());
        return new Prepared<>(
                in.model(),
                () -> parts.decoder().decode(in.body(), in.requestId(), in.model()),
                parts.runner(),
                this::answer);
    }

    /** The answer to a request of this kind: the signed body, its PoE in headers. */
    FullHttpResponse answer(ByteBufAllocator alloc, SignedAnswer a) {
        FullHttpResponse r =
                Responses.withBody(HttpResponseStatus.OK, Unpooled.wrappedBuffer(a.result()), MediaTypes.JSON);
        headers.write(r.headers(), a);
        return r;
    }
}
