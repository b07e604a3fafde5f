package io.parallelix.node.gpu;

import java.util.Arrays;
import java.util.Optional;

/** How token vectors become one sentence vector, as sentence-transformers' Pooling module names them. */
enum Pooling {
    MEAN("mean", "pooling_mode_mean_tokens"),
    CLS("cls", "pooling_mode_cls_token"),
    MAX("max", "pooling_mode_max_tokens"),
    LAST_TOKEN("last_token", "pooling_mode_lasttoken");

    private final String wireName;
    private final String stKey;

    Pooling(String wireName, String stKey) {
        this.wireName = wireName;
        this.stKey = stKey;
    }

    String wireName() {
        return wireName;
    }

    /** The key of 1_Pooling/config.json that turns this mode on. */
    String stKey() {
        return stKey;
    }

    static Optional<Pooling> fromWireName(String name) {
        return Arrays.stream(values()).filter(p -> p.wireName.equals(name)).findFirst();
    }
}
