package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.parallelix.node.daemon.protocol.ModelPeek;
import io.parallelix.node.daemon.service.SignedAnswer;
import io.parallelix.node.daemon.verify.VerifyDecoder;
import io.parallelix.node.daemon.verify.VerifyRequest;
import io.parallelix.node.daemon.verify.VerifyRunner;

/**
 * POST /v1/verify (docs/verification.md): this node checks another node's signed answer. On the
 * event loop: Content-Type, this request's id (header or allocated), a copy of the body and the
 * model it names (this node's model to check with); decoding and the check run on a worker. The
 * answer's body is the verdict, signed by this node, its PoE in the Pxnode-* headers.
 */
public final class VerifyEndpoint implements TaskEndpoint {
    /** The parts of this kind: decoder, runner, the model peek, where request ids come from. */
    public record Parts(VerifyDecoder decoder, VerifyRunner runner, ModelPeek peek, RequestIdHeader ids) {}

    private final Parts parts;
    private final PoeHeaders headers;

    public VerifyEndpoint(Parts parts, ObjectMapper mapper) {
        this.parts = parts;
        this.headers = new PoeHeaders(mapper);
    }

    @Override
    public Prepared<VerifyRequest> prepare(FullHttpRequest req, Route route) {
        OpenAiBody in = OpenAiBody.read(req, parts.ids(), parts.peek());
        return new Prepared<>(
                in.model(),
                () -> parts.decoder().decode(in.body(), in.requestId(), in.model()),
                parts.runner(),
                this::answer);
    }

    private FullHttpResponse answer(ByteBufAllocator alloc, SignedAnswer a) {
        FullHttpResponse r =
                Responses.withBody(HttpResponseStatus.OK, Unpooled.wrappedBuffer(a.result()), MediaTypes.JSON);
        headers.write(r.headers(), a);
        return r;
    }
}
