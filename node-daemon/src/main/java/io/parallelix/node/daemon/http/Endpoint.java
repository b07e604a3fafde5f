package io.parallelix.node.daemon.http;

import java.util.Set;

/** The node's endpoints, by what they are for; {@link Route} maps paths and methods to them. */
public enum Endpoint {
    LIVE,
    READY,
    SERVER_METADATA,
    MODEL_METADATA,
    MODEL_READY,
    INFER,
    NODE,
    CHALLENGE,
    METRICS,
    /**
     * OpenAI-compatible: POST /v1/embeddings, GET /v1/models, GET /v1/models/{model}, POST
     * /v1/completions, POST /v1/chat/completions.
     */
    EMBEDDINGS,
    MODELS,
    MODEL,
    COMPLETIONS,
    CHAT_COMPLETIONS,
    /** POST /v1/verify: check another node's signed answer (docs/verification.md). */
    VERIFY;

    /** What a plain admin listener (metrics and health, usually on localhost) serves. */
    public static final Set<Endpoint> ADMIN = Set.of(LIVE, READY, MODEL_READY, SERVER_METADATA, METRICS);
}
