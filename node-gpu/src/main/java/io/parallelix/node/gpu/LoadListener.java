package io.parallelix.node.gpu;

import java.util.List;

/**
 * Told how opening an engine goes, from the opening thread: first every model's name, then each
 * change of stage and, while hashing, the bytes done (often: record and return, never block).
 */
public interface LoadListener {
    LoadListener NONE = new LoadListener() {
        @Override
        public void progress(LoadProgress progress) {}
    };

    /** The models found, in load order, before the first loads. */
    default void models(List<String> names) {}

    void progress(LoadProgress progress);
}
