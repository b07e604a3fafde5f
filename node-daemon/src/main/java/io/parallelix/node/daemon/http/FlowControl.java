package io.parallelix.node.daemon.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.ErrorMapping;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import java.util.ArrayDeque;
import java.util.function.BooleanSupplier;

/**
 * Per-connection flow control: one request at a time goes on to the router, and the next only
 * once the answer to this one is written (it sees the answer's last part pass outbound), so
 * answers keep the order of pipelined requests. Auto-read is off: the socket is read again only
 * when nothing is pending. Up to {@link #MAX_PIPELINED} requests that arrived together are held;
 * each one beyond is answered 503 in its turn, never by closing, so no admitted work is lost.
 * While draining, pending requests are still answered and the last answer closes.
 */
final class FlowControl extends ChannelDuplexHandler {
    static final int MAX_PIPELINED = 8;

    /** The user event that asks a connection to close once it has answered what it holds. */
    static final Object DRAIN = new Object() {
        @Override
        public String toString() {
            return "FlowControl.DRAIN";
        }
    };

    /** A request beyond the bound, released at once: only keep-alive and its errors' shape are kept. */
    private record Excess(boolean keepAlive, ErrorShape shape) {}

    private final BooleanSupplier draining;
    private final Responses responses;
    private final NodeMetrics metrics;
    private final ArrayDeque<Object> pending = new ArrayDeque<>();
    private boolean busy;
    private boolean closeAfterAnswer;
    private boolean drainAsked;

    FlowControl(BooleanSupplier draining, Responses responses, NodeMetrics metrics) {
        this.draining = draining;
        this.responses = responses;
        this.metrics = metrics;
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
        RequestReadTimeout timeout = ctx.pipeline().get(RequestReadTimeout.class);
        if (timeout != null) {
            timeout.requestReceived();
        }
        if (!busy) {
            busy = true;
            ctx.fireChannelRead(req);
        } else if (pending.size() < MAX_PIPELINED) {
            pending.add(req);
        } else {
            pending.add(new Excess(HttpUtil.isKeepAlive(req), ErrorShape.of(req.uri())));
            req.release();
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof HttpResponse head) {
            closing(head);
        }
        if (msg instanceof LastHttpContent) {
            promise = promise.unvoid();
            promise.addListener((ChannelFutureListener) f -> answered(ctx, f));
        }
        ctx.write(msg, promise);
    }

    /** Decides on the answer's head whether the connection stays open after it. */
    private void closing(HttpResponse head) {
        if ((drainAsked || draining.getAsBoolean()) && pending.isEmpty()) {
            HttpUtil.setKeepAlive(head, false);
        }
        if (!HttpUtil.isKeepAlive(head)) {
            closeAfterAnswer = true;
        }
    }

    private void answered(ChannelHandlerContext ctx, ChannelFuture written) {
        busy = false;
        if (!written.isSuccess() || closeAfterAnswer) {
            releasePending();
            ctx.close();
            return;
        }
        Object next = pending.poll();
        if (next == null) {
            if (drainAsked) {
                ctx.close();
            } else {
                ctx.read();
            }
            return;
        }
        busy = true;
        if (next instanceof FullHttpRequest req) {
            ctx.fireChannelRead(req);
        } else {
            refuse(ctx, (Excess) next);
        }
    }

    /** 503 in order for a request past the bound; it never reached the router or the service. */
    private void refuse(ChannelHandlerContext ctx, Excess excess) {
        ApiException e = new ApiException.Overloaded(
                "more than " + MAX_PIPELINED + " pipelined requests arrived before the first was answered", 1);
        FullHttpResponse r = responses.error(ctx.alloc(), e, excess.shape());
        HttpUtil.setKeepAlive(r, excess.keepAlive());
        metrics.request("http", "", ErrorMapping.code(e));
        closing(r);
        ctx.writeAndFlush(r).addListener((ChannelFutureListener) f -> answered(ctx, f));
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == DRAIN) {
            drainAsked = true;
            if (!busy) {
                ctx.close();
            }
        } else if (evt instanceof IdleStateEvent && !busy) {
            ctx.close(); // an idle keep-alive connection; a busy one is waiting for its answer
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releasePending();
        ctx.fireChannelInactive();
    }

    private void releasePending() {
        for (Object o; (o = pending.poll()) != null; ) {
            ReferenceCountUtil.release(o);
        }
    }
}
