package io.parallelix.node.gpu;

/**
 * One model's load at one moment: {@code index} is 1-based among {@code count} models (they load
 * in name order); the byte counts are the digest's, so they move during HASHING only and stay at
 * the total afterwards (0 of 0 before hashing starts).
 */
public record LoadProgress(String model, int index, int count, LoadStage stage, long bytesHashed, long bytesTotal) {
    public LoadProgress {
        if (index < 1 || index > count || bytesHashed < 0 || bytesTotal < 0) {
            throw new IllegalArgumentException("load progress of '" + model + "': index " + index + " of " + count
                    + ", bytes " + bytesHashed + " of " + bytesTotal);
        }
    }

    LoadProgress at(LoadStage next) {
        return new LoadProgress(model, index, count, next, bytesHashed, bytesTotal);
    }

    LoadProgress hashed(long done, long total) {
        return new LoadProgress(model, index, count, stage, done, total);
    }
}
