package io.parallelix.node.daemon.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.parallelix.node.daemon.http.TaskEndpoint.AnswerForm;
import io.parallelix.node.daemon.service.Cancellation;
import io.parallelix.node.daemon.service.ChunkSink;

/**
 * A streamed answer on its way to the client, written from the worker thread that runs the task.
 * The head goes out with the first chunk. Backpressure: after each chunk the worker waits while
 * the channel is not writable; a client that does not read for the write timeout is dropped, and
 * a closed connection cancels the task, so the next emit ends it.
 */
final class ResponseStream implements ChunkSink {
    private final Channel channel;
    private final AnswerForm form;
    private final Cancellation cancellation;
    private final long writeTimeoutNanos;
    private final Object writable = new Object();
    private volatile boolean started;

    ResponseStream(Channel channel, AnswerForm form, Cancellation cancellation, long writeTimeoutMillis) {
        this.channel = channel;
        this.form = form;
        this.cancellation = cancellation;
        this.writeTimeoutNanos = writeTimeoutMillis * 1_000_000;
    }

    @Override
    public void emit(byte[] chunk) {
        cancellation.throwIfCancelled();
        if (!started) {
            started = true;
            // flushed at once: an unflushed head would count against the write timeout for as long
            // as this worker takes to reach its first chunk (a stalled machine dropped healthy streams)
            channel.writeAndFlush(form.streamHead());
        }
        channel.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(chunk)));
        awaitWritable();
        cancellation.throwIfCancelled();
    }

    /** True once the head went out: the answer can no longer be a whole response. */
    boolean started() {
        return started;
    }

    private void awaitWritable() {
        long end = System.nanoTime() + writeTimeoutNanos;
        synchronized (writable) {
            while (!channel.isWritable() && channel.isActive()) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    cancellation.cancel();
                    channel.close(); // the client stopped reading: same rule as the write timeout
                    return;
                }
                try {
                    writable.wait(left / 1_000_000 + 1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    cancellation.cancel();
                    return;
                }
            }
        }
    }

    /** Called on the event loop when writability changes or the channel closes. */
    void wake() {
        synchronized (writable) {
            writable.notifyAll();
        }
    }
}
