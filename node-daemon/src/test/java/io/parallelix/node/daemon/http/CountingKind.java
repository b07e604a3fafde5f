package io.parallelix.node.daemon.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.ErrorMapping;
import io.parallelix.node.daemon.protocol.Task;
import io.parallelix.node.daemon.service.SignedAnswer;
import io.parallelix.node.daemon.service.TaskOutput;
import io.parallelix.node.daemon.service.TaskRunner;
import io.parallelix.node.gpu.InferenceException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A test-only kind of task that streams, to prove the corridor's streaming: a body
 * {@code {"id":"r","n":3,"bytes":10,"delay_ms":0,"fail_at":-1}} is answered with n chunks
 * {@code data: <i> xxx…\n\n}, then a trailer comment {@code : pxnode-poe <hex> <sig b64>\n\n} and
 * {@code data: [DONE]\n\n}, as the generation issue's SSE answers will be. n = 0 is a whole answer.
 */
final class CountingKind implements TaskEndpoint {
    static final String TRAILER = ": pxnode-poe ";

    record Count(String requestId, int n, int bytes, long delayMs, int failAt) implements Task {
        @Override
        public @Nullable String modelSha256() {
            return null;
        }
    }

    /** Chunks emitted so far, over every task: tests watch it to see a task stop. */
    final AtomicInteger emitted = new AtomicInteger();

    private final ObjectMapper mapper;

    CountingKind(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    private final TaskRunner<Count> runner = (task, ctx) -> {
        for (int i = 0; i < task.n(); i++) {
            if (i == task.failAt()) {
                throw new InferenceException.ModelFailed("injected failure at chunk " + i, new RuntimeException());
            }
            sleep(task.delayMs());
            ctx.cancellation().throwIfCancelled();
            ctx.sink().emit(chunk(i, task.bytes()));
            emitted.incrementAndGet();
        }
        byte[] whole = task.n() == 0 ? "{\"n\":0}".getBytes(StandardCharsets.UTF_8) : new byte[0];
        return new TaskOutput(whole, "text/event-stream", "", "", new TaskOutput.EngineNanos(0, 0, 0, 0));
    };

    static byte[] chunk(int i, int bytes) {
        char[] pad = new char[bytes];
        Arrays.fill(pad, 'x');
        return ("data: " + i + " " + new String(pad) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Prepared<Count> prepare(FullHttpRequest request, Route route) {
        byte[] body = ByteBufUtil.getBytes(request.content());
        return new Prepared<>(Objects.requireNonNull(route.model()), () -> decode(body), runner, form);
    }

    private Count decode(byte[] body) {
        try {
            var n = mapper.readTree(body);
            return new Count(
                    n.path("id").asText("count"),
                    n.path("n").asInt(3),
                    n.path("bytes").asInt(10),
                    n.path("delay_ms").asLong(0),
                    n.path("fail_at").asInt(-1));
        } catch (IOException e) {
            throw new ApiException.BadRequest(null, "not JSON");
        }
    }

    private final AnswerForm form = new AnswerForm() {
        @Override
        public FullHttpResponse full(ByteBufAllocator alloc, SignedAnswer answer) {
            return Responses.withBody(
                    HttpResponseStatus.OK, Unpooled.wrappedBuffer(answer.result()), "application/json");
        }

        @Override
        public HttpResponse streamHead() {
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            r.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                    .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            return r;
        }

        @Override
        public ByteBuf streamEnd(ByteBufAllocator alloc, SignedAnswer answer) {
            String end = TRAILER + answer.signed().poeHex() + " "
                    + Base64.getEncoder().encodeToString(answer.signed().sig()) + "\n\ndata: [DONE]\n\n";
            return Unpooled.copiedBuffer(end, StandardCharsets.UTF_8);
        }

        @Override
        public ByteBuf streamError(ByteBufAllocator alloc, ApiException e) {
            return Unpooled.copiedBuffer(
                    "event: error\ndata: " + ErrorMapping.code(e) + "\n\ndata: [DONE]\n\n", StandardCharsets.UTF_8);
        }
    };
}
