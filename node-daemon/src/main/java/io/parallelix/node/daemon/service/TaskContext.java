package io.parallelix.node.daemon.service;

import io.parallelix.node.gpu.ModelInfo;
import java.time.Instant;

/**
 * What a runner gets beside its task: the model it was admitted for, the absolute deadline, the
 * client's cancellation (checked once per step: a generation loop, a batch) and where streamed
 * chunks go.
 */
public record TaskContext(ModelInfo model, Instant deadline, Cancellation cancellation, ChunkSink sink) {}
