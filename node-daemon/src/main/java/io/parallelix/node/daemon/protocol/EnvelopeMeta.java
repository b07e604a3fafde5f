package io.parallelix.node.daemon.protocol;

import io.parallelix.node.gpu.RuntimeFingerprint;
import org.jspecify.annotations.Nullable;

/** Unsigned context of a result: which model, how long each stage took, on what runtime. */
public record EnvelopeMeta(
        String model,
        String modelSha256,
        String inputsSha256,
        StageTimings timingsUs,
        @Nullable RuntimeFingerprint runtime,
        @Nullable String cryptoProvider) {}
