package io.parallelix.node.daemon.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.parallelix.node.daemon.error.ApiException;
import org.jspecify.annotations.Nullable;

/**
 * Netty's aggregator with JSON errors instead of its empty ones. Oversized bodies are refused as
 * soon as Content-Length says so, or as soon as a chunked body passes the limit, and the connection
 * is closed: the rest of the body is never read. The same holds for {@code Expect: 100-continue}
 * (curl sends it for large bodies) with a Content-Length above the limit, and for expectations
 * other than 100-continue, which Netty would answer with an empty 413 or 417.
 */
final class BoundedAggregator extends HttpObjectAggregator {
    private final Responses responses;
    private final int maxBytes;

    BoundedAggregator(int maxBytes, Responses responses) {
        super(maxBytes, true);
        this.maxBytes = maxBytes;
        this.responses = responses;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        FullHttpResponse r = responses.error(ctx.alloc(), new ApiException.PayloadTooLarge(maxBytes), shape(oversized));
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    /** 100 Continue as Netty sends it; its refusals (a 4xx, after which it closes) as JSON. */
    @Override
    protected @Nullable Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object netty = super.newContinueResponse(start, maxContentLength, pipeline);
        if (!(netty instanceof HttpResponse refusal) || !ignoreContentAfterContinueResponse(refusal)) {
            return netty;
        }
        ApiException e = refusal.status().equals(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE)
                ? new ApiException.PayloadTooLarge(maxBytes)
                : new ApiException.BadRequest("Expect", "only 100-continue is supported");
        ReferenceCountUtil.release(refusal);
        FullHttpResponse r = responses.error(pipeline.channel().alloc(), e, shape(start));
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return r;
    }

    private static ErrorShape shape(HttpMessage head) {
        return head instanceof HttpRequest req ? ErrorShape.of(req.uri()) : ErrorShape.NODE;
    }
}
