package io.parallelix.node.gpu;

/** One model's side of a LoadListener: the stages ModelLoader passes and the bytes it hashes. */
final class LoadReporter {
    private final LoadListener listener;
    private LoadProgress current;

    LoadReporter(LoadListener listener, String model, int index, int count) {
        this.listener = listener;
        this.current = new LoadProgress(model, index, count, LoadStage.WAITING, 0, 0);
    }

    static LoadReporter none(String model) {
        return new LoadReporter(LoadListener.NONE, model, 1, 1);
    }

    void stage(LoadStage stage) {
        current = current.at(stage);
        listener.progress(current);
    }

    /** For ModelFiles: hashing progress, reported as the HASHING stage's bytes. */
    ByteProgress hashing() {
        return (done, total) -> {
            current = current.hashed(done, total);
            listener.progress(current);
        };
    }
}
