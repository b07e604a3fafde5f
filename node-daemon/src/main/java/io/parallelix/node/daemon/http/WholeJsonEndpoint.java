package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.parallelix.node.daemon.protocol.ModelPeek;
import io.parallelix.node.daemon.protocol.Task;
import io.parallelix.node.daemon.service.SignedAnswer;
import io.parallelix.node.daemon.service.TaskRunner;

/**
 * A JSON request that names its model in its body, answered whole. On the event loop:
 * Content-Type, the request id (header or allocated), a copy of the body and its model (read by
 * {@link ModelPeek}, which the queue needs); the decoder runs on the worker. The answer's body is
 * exactly the signed result, with its PoE in the Pxnode-* headers.
 */
abstract class WholeJsonEndpoint<T extends Task> implements TaskEndpoint {
    /** Decodes a body on a worker; {@code model} is the one the peek read from it. */
    @FunctionalInterface
    interface Decoder<T> {
        T decode(byte[] body, String requestId, String model);
    }

    private final Decoder<T> decoder;
    private final TaskRunner<T> runner;
    private final ModelPeek peek;
    private final RequestIdHeader ids;
    private final PoeHeaders headers;

    WholeJsonEndpoint(
            Decoder<T> decoder, TaskRunner<T> runner, ModelPeek peek, RequestIdHeader ids, ObjectMapper mapper) {
        this.decoder = decoder;
        this.runner = runner;
        this.peek = peek;
        this.ids = ids;
        this.headers = new PoeHeaders(mapper);
    }

    @Override
    public Prepared<T> prepare(FullHttpRequest req, Route route) {
        OpenAiBody in = OpenAiBody.read(req, ids, peek);
        return new Prepared<>(
                in.model(), () -> decoder.decode(in.body(), in.requestId(), in.model()), runner, this::answer);
    }

    /** The answer: the signed body, its PoE in headers. */
    FullHttpResponse answer(ByteBufAllocator alloc, SignedAnswer a) {
        FullHttpResponse r =
                Responses.withBody(HttpResponseStatus.OK, Unpooled.wrappedBuffer(a.result()), MediaTypes.JSON);
        headers.write(r.headers(), a);
        return r;
    }
}
