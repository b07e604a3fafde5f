package io.parallelix.node.gpu;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The provider decision while an engine opens. AUTO that finds CUDA unusable falls back to the CPU
 * once, with one loud warning, and does not retry for later models.
 */
final class ProviderChoice {
    private static final Logger log = LoggerFactory.getLogger(ProviderChoice.class);

    private final ProviderMode mode;
    private @Nullable String fallbackReason;

    ProviderChoice(ProviderMode mode) {
        this.mode = mode;
    }

    boolean tryCuda() {
        return mode != ProviderMode.CPU && fallbackReason == null;
    }

    boolean strict() {
        return mode == ProviderMode.CUDA;
    }

    void fallBack(String reason) {
        if (strict()) {
            throw new IllegalStateException("provider cuda is strict: no fallback");
        }
        fallbackReason = reason;
        log.warn(
                "!!! provider auto: CUDA is NOT used, every model runs on the CPU (CPUExecutionProvider),"
                        + " much slower. Why: {}",
                reason);
    }
}
