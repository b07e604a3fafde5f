package io.parallelix.node.gpu.verify;

import io.parallelix.node.gpu.Safetensors;
import java.util.List;

/**
 * A re-run tensor result against the claimed one, tensor by tensor: one CheckResult per tensor
 * ("tensor:NAME"), plus one per tensor present on one side only; names, dtypes and shapes must
 * match; with {@code exact} the bytes must be equal, else floats within the policy's tolerance
 * and everything else equal. Statistics: max_abs, max_rel, worst_index, elements, within.
 */
public final class TensorComparison {
    private TensorComparison() {}

    public static List<CheckResult> compare(
            Safetensors.File claimed, Safetensors.File mine, TensorPolicy policy, boolean exact) {
        throw new UnsupportedOperationException("TensorComparison: not built yet");
    }
}
