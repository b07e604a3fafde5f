package io.parallelix.node.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A whole request must arrive within the read timeout of its first byte, however slowly it
 * trickles (an idle timer alone never fires for one byte a second). Sits at the head of the
 * pipeline; on expiry it tells {@link NodeHandler}, which answers 408 and closes.
 */
final class RequestReadTimeout extends ChannelInboundHandlerAdapter {
    /** The user event fired when a request took too long to arrive. */
    static final Object TIMED_OUT = new Object() {
        @Override
        public String toString() {
            return "RequestReadTimeout.TIMED_OUT";
        }
    };

    private final long timeoutMillis;
    private @Nullable ScheduledFuture<?> timer;

    RequestReadTimeout(long timeoutMillis) {
        this.timeoutMillis = timeoutMillis;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (timer == null && msg instanceof ByteBuf buf && buf.isReadable()) {
            timer = ctx.executor()
                    .schedule(() -> ctx.fireUserEventTriggered(TIMED_OUT), timeoutMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** Called on the event loop when a whole request has been decoded. */
    void requestReceived() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        requestReceived();
        ctx.fireChannelInactive();
    }
}
