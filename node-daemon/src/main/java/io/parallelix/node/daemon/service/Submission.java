package io.parallelix.node.daemon.service;

import io.parallelix.node.crypto.PoeVersion;
import io.parallelix.node.daemon.protocol.Task;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * One request handed to the service by a transport: the model it names, its decoder (run on a
 * worker, so a large body never blocks an event loop; it throws a BadRequest for bad input), the
 * runner of its kind, where streamed chunks go, the client's cancellation and the PoE layout its
 * headers ask for (null: not asked; the body may ask instead, {@link Task#poeVersion}), and the
 * body's size ({@link #UNKNOWN_SIZE}: never run inline).
 */
public record Submission<T extends Task>(
        String model,
        Supplier<T> decoder,
        TaskRunner<T> runner,
        ChunkSink sink,
        Cancellation cancellation,
        @Nullable PoeVersion poeVersion,
        int bodyBytes) {
    public static final int UNKNOWN_SIZE = Integer.MAX_VALUE;

    public Submission(
            String model, Supplier<T> decoder, TaskRunner<T> runner, ChunkSink sink, Cancellation cancellation) {
        this(model, decoder, runner, sink, cancellation, null, UNKNOWN_SIZE);
    }
}
