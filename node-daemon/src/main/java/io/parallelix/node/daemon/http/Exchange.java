package io.parallelix.node.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.ErrorMapping;
import io.parallelix.node.daemon.http.TaskEndpoint.AnswerForm;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.StageTimings;
import io.parallelix.node.daemon.protocol.TokenUsage;
import io.parallelix.node.daemon.service.SignedAnswer;
import java.util.concurrent.CompletionException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request being answered: writes exactly one answer (whole, or the end of a stream), counts
 * it and logs its access line. Safe from any thread: Netty runs writes on the channel's loop.
 */
final class Exchange {
    private static final Logger log = LoggerFactory.getLogger(Exchange.class);

    /** What every exchange on a listener shares. */
    record Shared(Responses responses, NodeMetrics metrics, AccessLog access) {}

    /** The facts of an answer that metrics and the access log record; usage: a generation's tokens. */
    record Answered(
            int status,
            long bytes,
            @Nullable String requestId,
            @Nullable StageTimings timings,
            String outcome,
            @Nullable TokenUsage usage) {}

    /** What is known of the request before it is routed: keep-alive, and its errors' shape. */
    record Request(boolean keepAlive, ErrorShape shape) {}

    private final ChannelHandlerContext ctx;
    private final Shared shared;
    private final Request request;
    private final String endpoint;
    private final String model;
    private final long start;

    Exchange(ChannelHandlerContext ctx, Shared shared, Request request) {
        this(ctx, shared, request, "http", "", System.nanoTime());
    }

    private Exchange(
            ChannelHandlerContext ctx, Shared shared, Request request, String endpoint, String model, long start) {
        this.ctx = ctx;
        this.shared = shared;
        this.request = request;
        this.endpoint = endpoint;
        this.model = model;
        this.start = start;
    }

    /** The same request, now known to be for this endpoint and model (a task's model may come from its body). */
    Exchange routed(String endpointLabel, String modelName) {
        return new Exchange(ctx, shared, request, endpointLabel, modelName, start);
    }

    void answer(FullHttpResponse response, @Nullable String requestId, @Nullable StageTimings timings, String outcome) {
        answer(response, requestId, timings, outcome, null);
    }

    private void answer(
            FullHttpResponse response,
            @Nullable String requestId,
            @Nullable StageTimings timings,
            String outcome,
            @Nullable TokenUsage usage) {
        answer(
                response,
                request.keepAlive(),
                new Answered(
                        response.status().code(),
                        response.content().readableBytes(),
                        requestId,
                        timings,
                        outcome,
                        usage));
    }

    void fail(ApiException e) {
        if (e instanceof ApiException.Internal && e.getCause() != null) {
            log.warn("request_id={} model={} {}", e.requestId(), model, e.getMessage(), e.getCause());
        }
        // a request that failed before its body was read leaves the connection in an unknown state
        boolean keep = request.keepAlive() && !(e instanceof ApiException.HeaderTooLarge);
        FullHttpResponse r = shared.responses().error(ctx.alloc(), e, request.shape());
        answer(
                r,
                keep,
                new Answered(
                        r.status().code(),
                        r.content().readableBytes(),
                        e.requestId(),
                        null,
                        ErrorMapping.code(e),
                        null));
    }

    /** Settles a task: its signed answer in the endpoint's form, or its failure. */
    void settle(@Nullable SignedAnswer answer, @Nullable Throwable failure, AnswerForm form, ResponseStream stream) {
        if (answer == null) {
            ApiException e = unwrap(failure);
            if (stream.started()) {
                endStream(
                        form.streamError(ctx.alloc(), e),
                        new Answered(200, 0, e.requestId(), null, ErrorMapping.code(e), null));
            } else {
                fail(e);
            }
            return;
        }
        if (answer.streamed()) {
            ByteBuf end = form.streamEnd(ctx.alloc(), answer);
            long bytes = answer.result().length + (long) end.readableBytes();
            endStream(
                    end,
                    new Answered(200, bytes, answer.requestId(), answer.meta().timingsUs(), "ok", answer.usage()));
            return;
        }
        FullHttpResponse response;
        try {
            response = form.full(ctx.alloc(), answer);
        } catch (RuntimeException e) {
            log.error("request_id={} model={} could not build the response", answer.requestId(), model, e);
            fail(new ApiException.Internal("internal_error", "internal error", e));
            return;
        }
        answer(response, answer.requestId(), answer.meta().timingsUs(), "ok", answer.usage());
    }

    private void endStream(ByteBuf last, Answered facts) {
        shared.metrics().request(endpoint, model, facts.outcome());
        ctx.writeAndFlush(new DefaultLastHttpContent(last));
        logAccess(facts);
    }

    private void answer(FullHttpResponse response, boolean keep, Answered facts) {
        HttpUtil.setKeepAlive(response, keep);
        // counted before the answer leaves, so a client that reads /metrics next sees it; the
        // access line is written after, off the answer's latency (~8 µs a line)
        shared.metrics().request(endpoint, model, facts.outcome());
        ctx.writeAndFlush(response);
        logAccess(facts);
    }

    private void logAccess(Answered facts) {
        shared.access().log(endpoint, model, facts, System.nanoTime() - start);
    }

    static ApiException unwrap(@Nullable Throwable t) {
        Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return cause instanceof ApiException api
                ? api
                : new ApiException.Internal("internal_error", "internal error", cause);
    }
}
