package io.parallelix.node.gpu.verify;

import java.util.List;

/**
 * Two nodes' answers to the same generation request, without a model (pxnode verify --compare):
 * choice by choice, token ids equal up to the first divergence, finish reasons, text, and claimed
 * logprobs within the policy's logprob_abs where both carry them. Statistics: tokens, first
 * divergence, max logprob difference.
 */
public final class GenerationComparison {
    private GenerationComparison() {}

    public static List<CheckResult> compare(
            List<GenerationClaim.Choice> a, List<GenerationClaim.Choice> b, GenerationPolicy policy) {
        throw new UnsupportedOperationException("GenerationComparison: not built yet");
    }
}
