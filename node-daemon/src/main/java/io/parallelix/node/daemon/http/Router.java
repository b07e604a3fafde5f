package io.parallelix.node.daemon.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;
import io.parallelix.node.crypto.PoeVersion;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.Task;
import io.parallelix.node.daemon.service.Cancellation;
import io.parallelix.node.daemon.service.SignedAnswer;
import io.parallelix.node.daemon.service.Submission;
import io.parallelix.node.daemon.service.TaskService;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * Routes each whole request, one at a time (see {@link FlowControl}), and answers it: lookups on
 * the event loop ({@link StatusEndpoints}); tasks through their {@link TaskEndpoint} to the
 * service, answered from the future's callback. A client that goes away cancels its task.
 */
final class Router extends ChannelInboundHandlerAdapter {
    /** What every connection's router shares. */
    record Shared(
            Set<Endpoint> endpoints,
            AtomicReference<@Nullable Serving> serving,
            StatusEndpoints status,
            Exchange.Shared exchange,
            long writeTimeoutMillis) {}

    private final Shared shared;
    private @Nullable Cancellation cancellation;
    private @Nullable ResponseStream stream;

    Router(Shared shared) {
        this.shared = shared;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest req)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        try {
            route(ctx, req);
        } finally {
            req.release();
        }
    }

    private void route(ChannelHandlerContext ctx, FullHttpRequest req) {
        ErrorShape shape = ErrorShape.of(req.uri());
        Exchange exchange =
                new Exchange(ctx, shared.exchange(), new Exchange.Request(HttpUtil.isKeepAlive(req), shape));
        if (req.decoderResult().isFailure()) {
            Throwable cause = req.decoderResult().cause();
            exchange.fail(
                    cause instanceof TooLongFrameException
                            ? new ApiException.HeaderTooLarge("request line or headers too long: " + cause.getMessage())
                            : new ApiException.BadRequest(null, "malformed HTTP request"));
            return;
        }
        HttpVersion v = req.protocolVersion();
        if (v.majorVersion() != 1 || v.minorVersion() > 1) { // framing unknown: answer and close
            new Exchange(ctx, shared.exchange(), new Exchange.Request(false, shape))
                    .fail(new ApiException.BadRequest("HTTP version", "only HTTP/1.0 and HTTP/1.1 are served"));
            return;
        }
        Route route;
        try {
            checkHost(req);
            String path = path(req.uri());
            route = Route.match(req.method(), path);
            if (!shared.endpoints().contains(route.endpoint())) {
                throw new ApiException.NotFound("no endpoint at " + path + " on this listener");
            }
        } catch (ApiException e) {
            exchange.routed("unrouted", "").fail(e);
            return;
        }
        Serving serving = shared.serving().get();
        Exchange routed = exchange.routed(Route.label(route.endpoint()), route.model() == null ? "" : route.model());
        try {
            TaskEndpoint task = serving == null ? null : serving.taskEndpoints().get(route.endpoint());
            if (serving != null && task != null) {
                submit(ctx, req, route, task, serving.tasks(), routed);
                return;
            }
            String outcome = serving == null ? "loading" : "ok";
            shared.status().answer(ctx.alloc(), req, route, serving).whenComplete((response, failure) -> {
                if (response != null) {
                    routed.answer(response, null, null, outcome);
                } else {
                    routed.fail(Exchange.unwrap(failure));
                }
            });
        } catch (ApiException e) {
            routed.fail(e);
        } catch (RuntimeException e) {
            // a bug or a fault building an answer on the event loop: the client still gets JSON
            routed.fail(new ApiException.Internal("internal_error", "internal error", e));
        }
    }

    private void submit(
            ChannelHandlerContext ctx,
            FullHttpRequest req,
            Route route,
            TaskEndpoint endpoint,
            TaskService tasks,
            Exchange routed) {
        PoeVersion poeVersion = PoeVersionHeader.of(req); // every task endpoint, before its own checks
        TaskEndpoint.Prepared<?> prepared = endpoint.prepare(req, route);
        Exchange exchange = routed.routed(Route.label(route.endpoint()), prepared.model()); // the body may name it
        Cancellation cancel = new Cancellation();
        ResponseStream out = new ResponseStream(ctx.channel(), prepared.form(), cancel, shared.writeTimeoutMillis());
        CompletableFuture<SignedAnswer> answer;
        try {
            answer = submit(
                    tasks, prepared, out, cancel, poeVersion, req.content().readableBytes());
        } catch (ApiException e) { // unknown model, queue full: counted under the model the request named
            exchange.fail(e);
            return;
        }
        cancellation = cancel;
        stream = out; // always a task of the event loop, queued after the worker's stream writes: a task that
        // finished before this line would otherwise write its stream's end here, on the loop, ahead
        // of its head and chunks still queued from the worker (the codec then refuses them)
        answer.whenCompleteAsync((a, failure) -> exchange.settle(a, failure, prepared.form(), out), ctx.executor());
    }

    private static <T extends Task> CompletableFuture<SignedAnswer> submit(
            TaskService tasks,
            TaskEndpoint.Prepared<T> p,
            ResponseStream out,
            Cancellation cancel,
            @Nullable PoeVersion poeVersion,
            int bodyBytes) {
        return tasks.submit(new Submission<>(p.model(), p.decoder(), p.runner(), out, cancel, poeVersion, bodyBytes));
    }

    /** RFC 9112 §3.2: one Host; HTTP/1.1 must send it, HTTP/1.0 may leave it out. Else 400. */
    private static void checkHost(FullHttpRequest req) {
        int hosts = req.headers().getAll(HttpHeaderNames.HOST).size();
        if (hosts > 1 || (hosts == 0 && req.protocolVersion().minorVersion() == 1)) {
            throw new ApiException.BadRequest("Host", hosts == 0 ? "is required in HTTP/1.1" : "must appear once");
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

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ResponseStream s = stream;
        if (s != null) {
            s.wake();
        }
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Cancellation c = cancellation;
        if (c != null) {
            c.cancel(); // the client is gone: its task ends at its next step
        }
        ResponseStream s = stream;
        if (s != null) {
            s.wake();
        }
        ctx.fireChannelInactive();
    }
}
