package io.parallelix.node.daemon.service;

/**
 * What a runner hands back: the (last piece of the) canonical result, its format name, the
 * digests that go into the unsigned meta, and how long the engine's stages took.
 */
@SuppressWarnings("ArrayRecordComponent") // results are compared by their bytes, never by equals
public record TaskOutput(
        byte[] result, String resultFormat, String modelSha256, String inputsSha256, EngineNanos nanos) {

    /** Nanoseconds waiting for a session, building tensors, in the ORT run, encoding the result. */
    public record EngineNanos(long instanceWait, long tensor, long run, long encode) {}
}
