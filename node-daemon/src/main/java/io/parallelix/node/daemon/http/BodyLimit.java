package io.parallelix.node.daemon.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.parallelix.node.daemon.error.ApiException;

/**
 * Netty's aggregator with a JSON 413 instead of an empty one. Oversized bodies are refused as soon
 * as Content-Length says so, or as soon as a chunked body passes the limit, and the connection is
 * closed: the rest of the body is never read.
 */
final class BodyLimit extends HttpObjectAggregator {
    private final Responses responses;
    private final int maxBytes;

    BodyLimit(int maxBytes, Responses responses) {
        super(maxBytes, true);
        this.maxBytes = maxBytes;
        this.responses = responses;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse r = responses.error(ctx.alloc(), new ApiException.PayloadTooLarge(maxBytes));
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }
}
