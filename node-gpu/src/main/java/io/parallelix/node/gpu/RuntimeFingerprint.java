package io.parallelix.node.gpu;

import org.jspecify.annotations.Nullable;

/**
 * What a re-dispatch comparison needs to know about how a result was computed. Unknown parts are
 * null (e.g. no GPU). Reported in identity, envelopes' meta, metrics and logs.
 */
public record RuntimeFingerprint(
        String ortVersion,
        String provider,
        @Nullable String device,
        @Nullable String driverVersion,
        @Nullable String cudaVersion,
        @Nullable String cudnnVersion,
        boolean deterministic) {}
