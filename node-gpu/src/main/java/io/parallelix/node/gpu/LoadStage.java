package io.parallelix.node.gpu;

/** Where one model's load stands, in load order (docs/engine.md, "Load order per model"). */
public enum LoadStage {
    /** Not started: an earlier model is loading. */
    WAITING("waiting"),
    /** Hashing every file that can change a result (and checking the pin). */
    HASHING("hashing"),
    /** ONNX Runtime building the sessions on the provider. */
    SESSIONS("creating_sessions"),
    /** Warm-up runs and the canary (or, for text models, their probes). */
    WARMUP("warmup_and_canary"),
    READY("ready");

    private final String wireName;

    LoadStage(String wireName) {
        this.wireName = wireName;
    }

    /** As the log and the health endpoints say it. */
    public String wireName() {
        return wireName;
    }
}
