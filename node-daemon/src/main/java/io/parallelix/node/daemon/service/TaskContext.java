package io.parallelix.node.daemon.service;

import io.parallelix.node.daemon.protocol.ResultRuntime;
import io.parallelix.node.gpu.ModelInfo;
import java.time.Instant;

/**
 * What a runner gets beside its task: the model it was admitted for, the absolute deadline, the
 * client's cancellation (checked once per step: a generation loop, a batch) and where streamed
 * chunks go, and the runtime fingerprint the runner writes into the result (signed with it).
 */
public record TaskContext(
        ModelInfo model, Instant deadline, Cancellation cancellation, ChunkSink sink, ResultRuntime runtime) {}
