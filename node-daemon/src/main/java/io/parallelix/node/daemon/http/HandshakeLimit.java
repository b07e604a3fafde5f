package io.parallelix.node.daemon.http;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Objects;

/**
 * Bounds the TLS connections still in their handshake (server.max_handshakes), apart from
 * max_connections, which counts only finished handshakes. When full, the oldest unfinished
 * handshake is closed at once (plain TCP close, no TLS) to make room for the newcomer: refusing the
 * newcomer instead would let a few silent peers, reconnecting each handshake timeout, lock every
 * coordinator out. So a peer that never speaks keeps its slot until max_handshakes newer
 * connections arrive or server.handshake_timeout passes, and a coordinator always gets to try.
 * Sits before the SslHandler; one per listener.
 */
@ChannelHandler.Sharable
final class HandshakeLimit extends ChannelInboundHandlerAdapter {
    private final int max;
    private final NodeMetrics metrics;
    /** In arrival order, oldest first; guarded by itself (every event loop of the listener uses it). */
    private final LinkedHashSet<ChannelHandlerContext> pending = new LinkedHashSet<>();

    HandshakeLimit(int max, NodeMetrics metrics) {
        this.max = max;
        this.metrics = metrics;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ChannelHandlerContext evicted = null;
        synchronized (pending) {
            pending.add(ctx);
            if (pending.size() > max) {
                Iterator<ChannelHandlerContext> oldest = pending.iterator();
                evicted = oldest.next();
                oldest.remove();
            }
        }
        if (evicted != null) {
            metrics.connectionRejected();
            evicted.close(); // from in front of the SslHandler: a TCP close, no TLS alert
        }
        // done on success, failure, timeout and close alike
        Objects.requireNonNull(ctx.pipeline().get(SslHandler.class), "no SslHandler behind the handshake limit")
                .handshakeFuture()
                .addListener(f -> finished(ctx));
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        finished(ctx);
        ctx.fireChannelInactive();
    }

    private void finished(ChannelHandlerContext ctx) {
        synchronized (pending) {
            pending.remove(ctx);
        }
    }

    int inHandshake() {
        synchronized (pending) {
            return pending.size();
        }
    }
}
