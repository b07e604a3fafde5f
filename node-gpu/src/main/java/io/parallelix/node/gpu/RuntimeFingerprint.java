package io.parallelix.node.gpu;

import org.jspecify.annotations.Nullable;

/**
 * What a re-dispatch comparison needs to know about how a result was computed. Unknown parts are
 * null (e.g. no GPU). Reported in identity, envelopes' meta, metrics and logs, and signed inside
 * every result (docs/verification.md, "Runtime fingerprint in the signed result").
 * {@code computeCapability}: the GPUs' CUDA compute capabilities ("9.0"; joined like {@code
 * device}). {@code intraOpThreads}: the model's ORT intra-op threads; 0 means ORT's default (one
 * per core), which a node-wide fingerprint also reports.
 */
public record RuntimeFingerprint(
        String ortVersion,
        String provider,
        @Nullable String device,
        @Nullable String driverVersion,
        @Nullable String cudaVersion,
        @Nullable String cudnnVersion,
        boolean deterministic,
        @Nullable String computeCapability,
        int intraOpThreads) {

    /** Without compute capability and with ORT's default threads. */
    public RuntimeFingerprint(
            String ortVersion,
            String provider,
            @Nullable String device,
            @Nullable String driverVersion,
            @Nullable String cudaVersion,
            @Nullable String cudnnVersion,
            boolean deterministic) {
        this(ortVersion, provider, device, driverVersion, cudaVersion, cudnnVersion, deterministic, null, 0);
    }
}
