package io.parallelix.node.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.Task;
import io.parallelix.node.daemon.service.SignedAnswer;
import io.parallelix.node.daemon.service.TaskRunner;
import java.util.function.Supplier;

/**
 * One kind of task as HTTP sees it, where a new kind plugs in: how a request becomes a
 * submission and how its signed answer goes back. {@link #prepare} runs on the event loop: it
 * checks headers and copies the body, and leaves decoding the body to the worker.
 */
public interface TaskEndpoint {
    /** Throws an ApiException for what the headers alone show is wrong (415, 400). */
    Prepared<?> prepare(FullHttpRequest request, Route route);

    /** A request ready to submit: its model, its deferred decoder, its runner, its answer's form. */
    record Prepared<T extends Task>(String model, Supplier<T> decoder, TaskRunner<T> runner, AnswerForm form) {}

    /** How the signed answer is written: whole, or as a stream of the chunks the runner emitted. */
    interface AnswerForm {
        FullHttpResponse full(ByteBufAllocator alloc, SignedAnswer answer);

        /** The head of a streamed answer, sent before its first chunk. */
        default HttpResponse streamHead() {
            throw new UnsupportedOperationException("this kind of task does not stream");
        }

        /** The last bytes of a streamed answer, after the signed chunks: where its PoE travels. */
        default ByteBuf streamEnd(ByteBufAllocator alloc, SignedAnswer answer) {
            throw new UnsupportedOperationException("this kind of task does not stream");
        }

        /** A failure after the stream began: the status line is gone, so the error is a chunk. */
        default ByteBuf streamError(ByteBufAllocator alloc, ApiException e) {
            throw new UnsupportedOperationException("this kind of task does not stream");
        }
    }
}
