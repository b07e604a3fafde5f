package io.parallelix.node.gpu.verify;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of checking a claimed answer: every check that ran, in order (accepted when all
 * passed), the verifier's model digest, and the nanoseconds of work the check cost (re-run or
 * teacher-forced prefill, waiting for a session excluded) so a verdict can state its cost.
 */
public record Verification(List<CheckResult> checks, String modelSha256, long workNanos) {
    public Verification {
        checks = List.copyOf(checks);
    }

    public boolean accepted() {
        return checks.stream().allMatch(CheckResult::passed);
    }

    public Optional<CheckResult> firstFailed() {
        return checks.stream().filter(c -> !c.passed()).findFirst();
    }
}
