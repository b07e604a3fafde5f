package io.parallelix.node.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.ErrorMapping;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.service.InferenceService;
import io.parallelix.node.daemon.service.NodeStatus;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each whole request. Health, metadata and identity are answered on the event loop (they
 * are lookups); infer copies the body and hands it to {@link InferenceService}, and the response
 * is written from the future's callback. One request per connection at a time: the next is read
 * only after this one is answered, so pipelined responses keep their order.
 */
@ChannelHandler.Sharable
final class NodeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(NodeHandler.class);
    private static final AttributeKey<Boolean> BUSY = AttributeKey.valueOf("pxnode.busy");

    private final InferenceService service;
    private final NodeStatus status;
    private final NodeMetrics metrics;
    private final Responses responses;
    private final WireFormat wire;
    private final AccessLog access;

    NodeHandler(
            InferenceService service,
            NodeStatus status,
            NodeMetrics metrics,
            Responses responses,
            WireFormat wire,
            AccessLog access) {
        super(true);
        this.service = service;
        this.status = status;
        this.metrics = metrics;
        this.responses = responses;
        this.wire = wire;
        this.access = access;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read(); // auto-read is off: one request at a time
        ctx.fireChannelActive();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        RequestReadTimeout timeout = ctx.pipeline().get(RequestReadTimeout.class);
        if (timeout != null) {
            timeout.requestReceived();
        }
        long start = System.nanoTime();
        ctx.channel().attr(BUSY).set(Boolean.TRUE);
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            ApiException e = cause instanceof TooLongFrameException
                    ? new ApiException.HeaderTooLarge("request line or headers too long: " + cause.getMessage())
                    : new ApiException.BadRequest(null, "malformed HTTP request");
            fail(ctx, e, false, "http", "", start);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(req) && !service.draining();
        String path = new QueryStringDecoder(req.uri()).path();
        Route route;
        try {
            route = Route.match(req.method(), path);
        } catch (ApiException e) {
            fail(ctx, e, keepAlive, "unrouted", "", start);
            return;
        }
        String model = route.model() == null ? "" : route.model();
        try {
            if (route.endpoint() == Route.Endpoint.INFER) {
                infer(ctx, req, model, keepAlive, start);
                return;
            }
            finish(
                    ctx,
                    answer(ctx, req, route, model),
                    keepAlive,
                    route.endpoint().label,
                    model,
                    start,
                    null,
                    null,
                    "ok");
        } catch (ApiException e) {
            fail(ctx, e, keepAlive, route.endpoint().label, model, start);
        }
    }

    private FullHttpResponse answer(ChannelHandlerContext ctx, FullHttpRequest req, Route route, String model) {
        return switch (route.endpoint()) {
            case LIVE -> responses.json(ctx.alloc(), HttpResponseStatus.OK, Map.of("live", status.live()));
            case READY -> readiness(ctx, status.ready());
            case SERVER_METADATA -> responses.json(ctx.alloc(), HttpResponseStatus.OK, status.server());
            case MODEL_METADATA -> responses.json(ctx.alloc(), HttpResponseStatus.OK, status.modelMetadata(model));
            case MODEL_READY -> readiness(ctx, status.modelReady(model));
            case NODE -> responses.json(ctx.alloc(), HttpResponseStatus.OK, status.document());
            case CHALLENGE ->
                responses.json(ctx.alloc(), HttpResponseStatus.OK, status.challenge(wire.readChallenge(req)));
            case METRICS -> metrics(ctx);
            case INFER -> throw new IllegalStateException("infer is answered asynchronously");
        };
    }

    private FullHttpResponse readiness(ChannelHandlerContext ctx, boolean ready) {
        return responses.json(
                ctx.alloc(),
                ready ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                Map.of("ready", ready));
    }

    private FullHttpResponse metrics(ChannelHandlerContext ctx) {
        ByteBuf buf = ctx.alloc().buffer();
        try (ByteBufOutputStream out = new ByteBufOutputStream(buf)) {
            metrics.writeTo(out);
        } catch (IOException e) {
            buf.release();
            throw new ApiException.Internal("internal_error", "metrics unavailable", e);
        }
        return Responses.withBody(HttpResponseStatus.OK, buf, metrics.contentType());
    }

    private void infer(ChannelHandlerContext ctx, FullHttpRequest req, String model, boolean keepAlive, long start) {
        int jsonLength = wire.requireInferContent(req);
        boolean binary = wire.wantsBinary(req);
        byte[] body = ByteBufUtil.getBytes(req.content());
        service.infer(model, body, jsonLength).whenComplete((envelope, failure) -> {
            if (envelope == null) {
                fail(ctx, unwrap(failure), keepAlive, "infer", model, start);
                return;
            }
            FullHttpResponse response;
            try {
                response = wire.response(ctx.alloc(), envelope, binary);
            } catch (RuntimeException e) {
                log.error("request_id={} model={} could not build the response", envelope.requestId(), model, e);
                fail(
                        ctx,
                        new ApiException.Internal("internal_error", "internal error", e),
                        keepAlive,
                        "infer",
                        model,
                        start);
                return;
            }
            finish(ctx, response, keepAlive, "infer", model, start, envelope.requestId(), envelope, "ok");
        });
    }

    private static ApiException unwrap(@Nullable Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof ApiException api
                ? api
                : new ApiException.Internal("internal_error", "internal error", cause);
    }

    private void fail(
            ChannelHandlerContext ctx, ApiException e, boolean keepAlive, String endpoint, String model, long start) {
        if (e instanceof ApiException.Internal && e.getCause() != null) {
            log.warn("request_id={} model={} {}", e.requestId(), model, e.getMessage(), e.getCause());
        }
        // a request that failed before its body was read leaves the connection in an unknown state
        boolean keep = keepAlive && !(e instanceof ApiException.HeaderTooLarge);
        finish(
                ctx,
                responses.error(ctx.alloc(), e),
                keep,
                endpoint,
                model,
                start,
                e.requestId(),
                null,
                ErrorMapping.code(e));
    }

    /** Writes the response, then reads the next request or closes. Safe from any thread. */
    private void finish(
            ChannelHandlerContext ctx,
            FullHttpResponse response,
            boolean keepAlive,
            String endpoint,
            String model,
            long start,
            @Nullable String requestId,
            @Nullable Envelope envelope,
            String outcome) {
        boolean keep = keepAlive && !service.draining();
        HttpUtil.setKeepAlive(response, keep);
        metrics.request(endpoint, model, outcome);
        access.log(
                endpoint,
                model,
                requestId,
                response.status().code(),
                response.content().readableBytes(),
                System.nanoTime() - start,
                envelope);
        ctx.writeAndFlush(response).addListener((ChannelFutureListener) f -> {
            ctx.channel().attr(BUSY).set(null);
            if (!keep || !f.isSuccess()) {
                ctx.close();
            } else {
                ctx.read();
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == RequestReadTimeout.TIMED_OUT) {
            ApiException e = new ApiException.RequestTimeout("the request did not arrive within the read timeout");
            FullHttpResponse r = responses.error(ctx.alloc(), e);
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            metrics.request("http", "", ErrorMapping.code(e));
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        } else if (evt instanceof IdleStateEvent && ctx.channel().attr(BUSY).get() == null) {
            ctx.close(); // an idle keep-alive connection; a busy one is waiting for its answer
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            log.debug("connection {} dropped: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn(
                    "connection {} closed after an unexpected error",
                    ctx.channel().remoteAddress(),
                    cause);
        }
        ctx.close();
    }
}
