package io.parallelix.node.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.WriteTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.ErrorMapping;
import io.parallelix.node.daemon.http.ServerSettings.Endpoint;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.service.InferenceService;
import io.parallelix.node.daemon.service.NodeServices;
import io.parallelix.node.daemon.service.NodeStatus;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each whole request. Health, metadata and identity are answered on the event loop (they
 * are lookups); infer copies the body and hands it to {@link InferenceService}, and the response
 * is written from the future's callback. One request per connection at a time: auto-read is off,
 * the next request is read only after this one is answered, and pipelined requests that arrived
 * together wait here, so responses keep their order. One instance per connection.
 */
final class NodeHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(NodeHandler.class);
    /** Pipelined requests held per connection beyond the one being answered; more closes it. */
    static final int MAX_PIPELINED = 8;

    /** What every connection's handler shares. */
    record Shared(
            Set<Endpoint> endpoints,
            AtomicReference<@Nullable NodeServices> services,
            NodeMetrics metrics,
            Responses responses,
            WireFormat wire,
            AccessLog access) {}

    private final Set<Endpoint> endpoints;
    private final AtomicReference<@Nullable NodeServices> services;
    private final NodeMetrics metrics;
    private final Responses responses;
    private final WireFormat wire;
    private final AccessLog access;
    private final ArrayDeque<FullHttpRequest> pending = new ArrayDeque<>();
    private boolean busy;

    NodeHandler(Shared shared) {
        this.endpoints = shared.endpoints();
        this.services = shared.services();
        this.metrics = shared.metrics();
        this.responses = shared.responses();
        this.wire = shared.wire();
        this.access = shared.access();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.read(); // auto-read is off: reads are asked for one request at a time
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (!busy) {
            handle(ctx, req);
        } else if (pending.size() < MAX_PIPELINED) {
            pending.add(req);
        } else {
            req.release();
            log.warn(
                    "connection {} pipelined more than {} requests; closing it",
                    ctx.channel().remoteAddress(),
                    MAX_PIPELINED);
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (FullHttpRequest r; (r = pending.poll()) != null; ) {
            r.release();
        }
        ctx.fireChannelInactive();
    }

    private void handle(ChannelHandlerContext ctx, FullHttpRequest req) {
        busy = true;
        try {
            dispatch(ctx, req);
        } finally {
            req.release();
        }
    }

    private void dispatch(ChannelHandlerContext ctx, FullHttpRequest req) {
        RequestReadTimeout timeout = ctx.pipeline().get(RequestReadTimeout.class);
        if (timeout != null) {
            timeout.requestReceived();
        }
        long start = System.nanoTime();
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            ApiException e = cause instanceof TooLongFrameException
                    ? new ApiException.HeaderTooLarge("request line or headers too long: " + cause.getMessage())
                    : new ApiException.BadRequest(null, "malformed HTTP request");
            fail(ctx, e, false, "http", "", start);
            return;
        }
        NodeServices node = services.get();
        boolean keepAlive =
                HttpUtil.isKeepAlive(req) && (node == null || !node.inference().draining());
        Route route;
        try {
            String path = path(req.uri());
            route = Route.match(req.method(), path);
            if (!endpoints.contains(route.endpoint())) {
                throw new ApiException.NotFound("no endpoint at " + path + " on this listener");
            }
        } catch (ApiException e) {
            fail(ctx, e, keepAlive, "unrouted", "", start);
            return;
        }
        String model = route.model() == null ? "" : route.model();
        try {
            if (node != null && route.endpoint() == Endpoint.INFER) {
                infer(ctx, req, node.inference(), model, keepAlive, start);
                return;
            }
            FullHttpResponse response =
                    node == null ? loading(ctx, route) : answer(ctx, req, node.status(), route, model);
            finish(
                    ctx,
                    response,
                    keepAlive,
                    Route.label(route.endpoint()),
                    model,
                    start,
                    null,
                    null,
                    node == null ? "loading" : "ok");
        } catch (ApiException e) {
            fail(ctx, e, keepAlive, Route.label(route.endpoint()), model, start);
        } catch (RuntimeException e) {
            // a bug or a fault building an answer on the event loop: the client still gets JSON
            fail(
                    ctx,
                    new ApiException.Internal("internal_error", "internal error", e),
                    keepAlive,
                    Route.label(route.endpoint()),
                    model,
                    start);
        }
    }

    /** The decoded path; a broken percent-escape ("%zz", a trailing "%") is the client's error. */
    private static String path(String uri) {
        try {
            return new QueryStringDecoder(uri).path();
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest("path", "malformed percent-encoding");
        }
    }

    /** Before the engine is ready the node is live, not ready, and refuses work with 503. */
    private FullHttpResponse loading(ChannelHandlerContext ctx, Route route) {
        return switch (route.endpoint()) {
            case LIVE -> responses.json(ctx.alloc(), HttpResponseStatus.OK, Map.of("live", true));
            case READY, MODEL_READY -> readiness(ctx, false);
            case METRICS -> metrics(ctx);
            default ->
                responses.error(
                        ctx.alloc(), new ApiException.Overloaded("the node is starting: its models are loading", 5));
        };
    }

    private FullHttpResponse answer(
            ChannelHandlerContext ctx, FullHttpRequest req, NodeStatus status, Route route, String model) {
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

    private void infer(
            ChannelHandlerContext ctx,
            FullHttpRequest req,
            InferenceService service,
            String model,
            boolean keepAlive,
            long start) {
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
        NodeServices node = services.get();
        boolean keep = keepAlive && (node == null || !node.inference().draining());
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
            busy = false;
            if (!keep || !f.isSuccess()) {
                ctx.close();
                return;
            }
            FullHttpRequest next = pending.poll();
            if (next != null) {
                handle(ctx, next);
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
        } else if (evt instanceof IdleStateEvent && !busy) {
            ctx.close(); // an idle keep-alive connection; a busy one is waiting for its answer
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable root = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (root instanceof SSLException || root instanceof NotSslRecordException) {
            // a client without a trusted certificate, or one speaking plain HTTP to the TLS port
            String why = root instanceof NotSslRecordException ? "not TLS (plain HTTP?)" : root.getMessage();
            log.info("refused TLS from {}: {}", ctx.channel().remoteAddress(), why); // never the bytes
        } else if (cause instanceof IOException || cause instanceof PrematureChannelClosureException) {
            // the client went away, or the node closed it mid-request (408, 413)
            log.debug("connection {} dropped: {}", ctx.channel().remoteAddress(), cause.toString());
        } else if (cause instanceof WriteTimeoutException) {
            log.info(
                    "connection {} did not read its answer within the write timeout; dropped",
                    ctx.channel().remoteAddress());
        } else {
            log.warn(
                    "connection {} closed after an unexpected error",
                    ctx.channel().remoteAddress(),
                    cause);
        }
        ctx.close();
    }
}
