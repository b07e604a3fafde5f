package io.parallelix.node.daemon.http;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.ErrorMapping;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import java.util.ArrayDeque;
import org.jspecify.annotations.Nullable;

/**
 * Holds each request body against the node-wide {@link BodyBudget} before it is read: all of its
 * Content-Length when the head arrives, or each chunk of a chunked body as it comes (up to
 * max_body_bytes; the aggregator refuses what is beyond). The bytes are given back once the
 * request's answer is written, or when the connection closes. A body that does not fit is
 * answered 503 + Retry-After at once (instead of 100 Continue, if asked) without being read, and
 * the connection closes. Behind an earlier pipelined request that is not answered yet, that 503
 * would overtake its answer: the body waits instead, the socket unread, until the earlier answer
 * is written, and is then admitted or refused. Sits between the HTTP codec and the aggregator.
 */
final class BodyGate extends ChannelDuplexHandler {
    /** One request's share of the budget. */
    private static final class Held {
        final boolean chunked;
        final ErrorShape shape;
        long bytes;

        Held(boolean chunked, ErrorShape shape, long bytes) {
            this.chunked = chunked;
            this.shape = shape;
            this.bytes = bytes;
        }
    }

    private final BodyBudget budget;
    private final int maxBodyBytes;
    private final Responses responses;
    private final NodeMetrics metrics;
    /** Requests passed on and not answered yet, oldest first. */
    private final ArrayDeque<Held> unanswered = new ArrayDeque<>();
    /** A head or chunk the budget could not hold yet, first, and everything that came after it. */
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();
    /** The request whose body is still arriving. */
    private @Nullable Held current;

    private boolean readAsked;
    private boolean retrying;
    private boolean refused;

    BodyGate(BodyBudget budget, int maxBodyBytes, Responses responses, NodeMetrics metrics) {
        this.budget = budget;
        this.maxBodyBytes = maxBodyBytes;
        this.responses = responses;
        this.metrics = metrics;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (refused) {
            ReferenceCountUtil.release(msg);
        } else if (!waiting.isEmpty()) {
            waiting.add(msg);
        } else {
            admit(ctx, msg);
        }
    }

    private void admit(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest head) { // for errors raised before the request is whole (408)
            ctx.channel().attr(ErrorShape.CURRENT).set(ErrorShape.of(head.uri()));
        }
        long need = need(msg);
        if (need > 0 && !budget.tryReserve(need)) {
            int earlier = msg instanceof HttpRequest ? unanswered.size() : unanswered.size() - 1;
            if (earlier == 0) {
                refuse(ctx, msg);
            } else {
                waiting.add(msg);
            }
            return;
        }
        if (msg instanceof HttpRequest head) {
            current = new Held(HttpUtil.isTransferEncodingChunked(head), ErrorShape.of(head.uri()), need);
            unanswered.add(current);
        } else if (current != null) {
            current.bytes += need;
        }
        if (msg instanceof LastHttpContent) {
            current = null;
        }
        ctx.fireChannelRead(msg);
    }

    /** The bytes msg asks for: a head its Content-Length, a chunk of a chunked body its size. */
    private long need(Object msg) {
        if (msg instanceof HttpRequest head) {
            if (HttpUtil.isTransferEncodingChunked(head)) {
                return 0;
            }
            long length;
            try {
                length = HttpUtil.getContentLength(head, 0L);
            } catch (NumberFormatException e) {
                return 0; // the decoder marks such a request failed; it is answered 400
            }
            return length > 0 && length <= maxBodyBytes ? length : 0; // above: the aggregator's 413
        }
        Held h = current;
        if (msg instanceof HttpContent chunk && h != null && h.chunked && h.bytes < maxBodyBytes) {
            return chunk.content().readableBytes();
        }
        return 0;
    }

    private void refuse(ChannelHandlerContext ctx, Object msg) {
        Held h = current;
        ErrorShape shape =
                msg instanceof HttpRequest head ? ErrorShape.of(head.uri()) : h != null ? h.shape : ErrorShape.NODE;
        refused = true;
        ReferenceCountUtil.release(msg);
        releaseWaiting();
        ApiException e = new ApiException.Overloaded(
                "the node holds as many request bodies as it may (server.max_body_bytes_in_flight)", 1);
        FullHttpResponse r = responses.error(ctx.alloc(), e, shape);
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        metrics.request("http", "", ErrorMapping.code(e));
        LingeringClose.answer(ctx, r);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        boolean interim = msg instanceof HttpResponse r && r.status().codeClass() == HttpStatusClass.INFORMATIONAL;
        if (msg instanceof LastHttpContent && !interim) { // the end of an answer (100 Continue is not one)
            promise = promise.unvoid();
            promise.addListener((ChannelFutureListener) f -> answered(ctx));
        }
        ctx.write(msg, promise);
    }

    private void answered(ChannelHandlerContext ctx) {
        Held h = unanswered.poll();
        if (h != null) {
            budget.release(h.bytes);
            if (h == current) {
                current = null; // answered before its body ended (413, 408): the rest holds nothing
            }
        }
        if (!retrying && !refused && !waiting.isEmpty()) {
            retry(ctx);
        }
    }

    /** Admits (or, now first in line, refuses) what waited, in order; then reads again if asked. */
    private void retry(ChannelHandlerContext ctx) {
        retrying = true;
        ArrayDeque<Object> again = new ArrayDeque<>(waiting);
        waiting.clear();
        for (Object m; (m = again.poll()) != null; ) {
            channelRead(ctx, m);
        }
        retrying = false;
        if (readAsked && waiting.isEmpty() && !refused) {
            readAsked = false;
            ctx.read();
        }
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        if (!waiting.isEmpty() && !refused) {
            readAsked = true; // TCP holds the rest of the body back meanwhile
            return;
        }
        ctx.read();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        for (Held h; (h = unanswered.poll()) != null; ) {
            budget.release(h.bytes);
        }
        current = null;
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    private void releaseWaiting() {
        for (Object o; (o = waiting.poll()) != null; ) {
            ReferenceCountUtil.release(o);
        }
    }
}
