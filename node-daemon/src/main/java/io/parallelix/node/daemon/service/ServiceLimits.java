package io.parallelix.node.daemon.service;

import java.time.Duration;

/** queueCapacity: admitted requests (waiting or running) per model; requestTimeout: the deadline. */
public record ServiceLimits(int queueCapacity, Duration requestTimeout) {
    public ServiceLimits {
        if (queueCapacity < 1) {
            throw new IllegalArgumentException("queue capacity must be >= 1");
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be > 0");
        }
    }
}
