package io.parallelix.node.gpu;

/**
 * Bytes done of a known total while a long file operation runs (hashing a model, copying it):
 * called from the working thread, often (every MiB), so implementations only record and return.
 */
@FunctionalInterface
public interface ByteProgress {
    ByteProgress NONE = (done, total) -> {};

    void bytes(long done, long total);
}
