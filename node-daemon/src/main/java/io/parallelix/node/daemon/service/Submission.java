package io.parallelix.node.daemon.service;

import io.parallelix.node.daemon.protocol.Task;
import java.util.function.Supplier;

/**
 * One request handed to the service by a transport: the model it names, its decoder (run on a
 * worker, so a large body never blocks an event loop; it throws a BadRequest for bad input), the
 * runner of its kind, where streamed chunks go and the client's cancellation.
 */
public record Submission<T extends Task>(
        String model, Supplier<T> decoder, TaskRunner<T> runner, ChunkSink sink, Cancellation cancellation) {}
