package io.parallelix.node.daemon.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.WriteTimeoutException;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.ErrorMapping;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import java.io.IOException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tail of the pipeline: a request that did not arrive within the read timeout is answered
 * 408 and closed; every exception that reaches here is sorted into what it says about the peer
 * (logged at the level it deserves, never with the bytes) and the connection is closed.
 */
@ChannelHandler.Sharable
final class ConnectionErrors extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionErrors.class);

    private final Responses responses;
    private final NodeMetrics metrics;

    ConnectionErrors(Responses responses, NodeMetrics metrics) {
        this.responses = responses;
        this.metrics = metrics;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == RequestReadTimeout.TIMED_OUT) {
            ApiException e = new ApiException.RequestTimeout("the request did not arrive within the read timeout");
            ErrorShape shape = ctx.channel().attr(ErrorShape.CURRENT).get(); // null: not even a head arrived
            FullHttpResponse r = responses.error(ctx.alloc(), e, shape == null ? ErrorShape.NODE : shape);
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            metrics.request("http", "", ErrorMapping.code(e));
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
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
