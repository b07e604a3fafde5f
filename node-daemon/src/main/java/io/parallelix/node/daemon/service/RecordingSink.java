package io.parallelix.node.daemon.service;

import java.io.ByteArrayOutputStream;

/**
 * Forwards a runner's chunks to the client and keeps a copy: the signed result of a streamed
 * answer is exactly the bytes sent. Confined to the one worker thread running the task.
 */
final class RecordingSink implements ChunkSink {
    private final ChunkSink client;
    private final Cancellation cancellation;
    private final ByteArrayOutputStream sent = new ByteArrayOutputStream();
    private boolean streamed;

    RecordingSink(ChunkSink client, Cancellation cancellation) {
        this.client = client;
        this.cancellation = cancellation;
    }

    @Override
    public void emit(byte[] chunk) {
        cancellation.throwIfCancelled();
        streamed = true;
        sent.writeBytes(chunk);
        client.emit(chunk);
    }

    boolean streamed() {
        return streamed;
    }

    /** The whole result: what was streamed, then the runner's last piece (sent too). */
    byte[] finish(byte[] last) {
        if (!streamed) {
            return last;
        }
        if (last.length > 0) {
            emit(last);
        }
        return sent.toByteArray();
    }
}
