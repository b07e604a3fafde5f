package io.parallelix.node.gpu.verify;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One check of a verification: its name ("tokens", "logprobs", "finish", "tensor:logits",
 * "embedding", ...), whether it passed, a one-line reason (the first deviation when it failed), and
 * its statistics in a stable order. Statistic values are JSON-ready: Number, String, Boolean, or
 * List / Map of those, so a verdict prints them as they are.
 */
public record CheckResult(String name, boolean passed, String detail, Map<String, Object> statistics) {
    public CheckResult {
        statistics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(statistics));
    }

    public static CheckResult pass(String name, String detail, Map<String, Object> statistics) {
        return new CheckResult(name, true, detail, statistics);
    }

    public static CheckResult fail(String name, String detail, Map<String, Object> statistics) {
        return new CheckResult(name, false, detail, statistics);
    }
}
