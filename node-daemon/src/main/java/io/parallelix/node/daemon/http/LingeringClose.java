package io.parallelix.node.daemon.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * How a refusal ends its connection: the answer is written, the node's side is shut (after a TLS
 * close_notify), and what the client still sends is read and dropped until it closes or
 * {@link #LINGER_MILLIS} pass. Closing with unread bytes in the socket sends a reset, which can
 * destroy the answer before the client reads it. Nothing after this handler sees another byte.
 */
final class LingeringClose extends ChannelInboundHandlerAdapter {
    static final long LINGER_MILLIS = 2_000;
    private static final String NAME = "linger";

    private @Nullable ScheduledFuture<?> deadline;

    private LingeringClose() {}

    /** Writes {@code answer} from {@code ctx}, then closes as above; what arrives later is dropped. */
    static void answer(ChannelHandlerContext ctx, Object answer) {
        if (ctx.pipeline().get(NAME) == null) {
            ctx.pipeline().addAfter(ctx.name(), NAME, new LingeringClose());
        }
        ctx.writeAndFlush(answer).addListener(written -> shut(ctx.channel(), written.isSuccess()));
    }

    private static void shut(Channel ch, boolean written) {
        SslHandler tls = ch.pipeline().get(SslHandler.class);
        if (!written || !(ch instanceof DuplexChannel duplex)) {
            ch.close();
        } else if (tls != null) {
            tls.closeOutbound().addListener(notified -> duplex.shutdownOutput());
        } else {
            duplex.shutdownOutput();
        }
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        deadline = ctx.executor().schedule(() -> ctx.channel().close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
        ctx.read(); // auto-read is off: drain whatever the client sends meanwhile
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ReferenceCountUtil.release(evt); // timeouts and the like: the connection is ending anyway
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.channel().close(); // a reset or a TLS alert from a client already refused
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ScheduledFuture<?> d = deadline;
        if (d != null) {
            d.cancel(false);
        }
        ctx.fireChannelInactive();
    }
}
