package io.parallelix.node.daemon.service;

import io.parallelix.node.daemon.protocol.TokenUsage;
import org.jspecify.annotations.Nullable;

/**
 * What a runner hands back: the (last piece of the) canonical result, its format name, the
 * digests that go into the unsigned meta, how long the engine's stages took, and (generations
 * only) the tokens it read and wrote, for the access log.
 */
@SuppressWarnings("ArrayRecordComponent") // results are compared by their bytes, never by equals
public record TaskOutput(
        byte[] result,
        String resultFormat,
        String modelSha256,
        String inputsSha256,
        EngineNanos nanos,
        @Nullable TokenUsage usage) {

    public TaskOutput(byte[] result, String resultFormat, String modelSha256, String inputsSha256, EngineNanos nanos) {
        this(result, resultFormat, modelSha256, inputsSha256, nanos, null);
    }

    /** Nanoseconds waiting for a session, building tensors, in the ORT run, encoding the result. */
    public record EngineNanos(long instanceWait, long tensor, long run, long encode) {}
}
