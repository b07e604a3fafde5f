package io.parallelix.node.daemon.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.util.AttributeKey;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the connections a listener serves (server.max_connections). Plain HTTP counts a
 * connection when it opens; TLS only once its handshake succeeded, so peers that never finish one
 * cannot use up the slots ({@link HandshakeLimit} bounds those). Beyond the limit the client gets
 * a JSON 503 and the connection closes; over TLS this handler sits after the SslHandler, so the
 * 503 travels inside the session, where a TLS client can read it.
 */
@ChannelHandler.Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("pxnode.counted");
    private static final byte[] REFUSAL = refusal();

    private final int max;
    private final boolean afterHandshake;
    private final AtomicInteger open = new AtomicInteger();
    private final NodeMetrics metrics;

    /** @param afterHandshake true on a TLS listener: count at the handshake's success */
    ConnectionLimit(int max, boolean afterHandshake, NodeMetrics metrics) {
        this.max = max;
        this.afterHandshake = afterHandshake;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (afterHandshake || admit(ctx)) {
            ctx.fireChannelActive();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (afterHandshake && evt instanceof SslHandshakeCompletionEvent done && done.isSuccess() && !admit(ctx)) {
            return; // refused: the 503 is on its way and nothing behind this handler hears of it
        }
        ctx.fireUserEventTriggered(evt);
    }

    private boolean admit(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            metrics.connectionRejected();
            LingeringClose.answer(ctx, Unpooled.wrappedBuffer(REFUSAL));
            return false;
        }
        ctx.channel().attr(COUNTED).set(Boolean.TRUE);
        return true;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (ctx.channel().attr(COUNTED).getAndSet(null) != null) {
            open.decrementAndGet();
        }
        ctx.fireChannelInactive();
    }

    int open() {
        return open.get();
    }

    private static byte[] refusal() {
        String body = "{\"error\":\"too many connections\",\"code\":\"overloaded\",\"request_id\":null}";
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length() + "\r\nRetry-After: 1\r\nConnection: close\r\n\r\n";
        return (head + body).getBytes(StandardCharsets.US_ASCII);
    }
}
