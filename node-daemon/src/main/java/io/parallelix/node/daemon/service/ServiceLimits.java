package io.parallelix.node.daemon.service;

import java.time.Duration;

/**
 * queueCapacity: admitted requests (waiting or running) per model; requestTimeout: the deadline of
 * a request from its arrival; generationTimeout: the same for a generation model's requests, which
 * take one model run per token; inlineMax: whole-answer tasks of models whose recent tasks took at
 * most this up to their signature run on the event loop that received them ({@link InlineRuns};
 * zero: never).
 */
public record ServiceLimits(
        int queueCapacity, Duration requestTimeout, Duration generationTimeout, Duration inlineMax) {
    public ServiceLimits {
        if (inlineMax.isNegative()) {
            throw new IllegalArgumentException("inline max must be >= 0");
        }
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be >= 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be > 0");
        }
        if (generationTimeout.isNegative() || generationTimeout.isZero()) {
            throw new IllegalArgumentException("generation timeout must be > 0");
        }
    }

    /** One deadline for every kind, every task on a worker (tests). */
    public ServiceLimits(int queueCapacity, Duration requestTimeout) {
        this(queueCapacity, requestTimeout, requestTimeout, Duration.ZERO);
    }
}
