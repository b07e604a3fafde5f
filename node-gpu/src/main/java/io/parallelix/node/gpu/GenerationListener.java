package io.parallelix.node.gpu;

/**
 * Where the decode loop reports as it goes, on the thread that called
 * {@link Engine#generate}. A listener that throws (a RuntimeException: the client went away, a
 * write timed out) ends the generation within that step; the engine closes every tensor and
 * rethrows it. Choices run one after another, so tokens of choice 1 follow every token of choice 0.
 */
public interface GenerationListener {
    /** Once, after the prompt is tokenized and checked, before the first run. */
    default void started(int[] promptIds, String modelSha256) {}

    void token(GeneratedToken token);

    /** For callers that want the whole result only. */
    GenerationListener NONE = token -> {};
}
