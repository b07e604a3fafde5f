package io.parallelix.node.gpu;

/**
 * A model's bounds on request sizes, from the {@code limits} mapping of its config.yaml (format in
 * docs/engine.md). They stop a request before ONNX Runtime allocates for it: a model's
 * activations can be hundreds of times its inputs (MiniLM: [1, 1000000] token ids asked for 3e6 x
 * 384 floats), and the CPU arena keeps what it once allocated. maxBatch bounds dimension 0 and
 * maxSequence dimension 1 (rank >= 2) of every input where the model leaves them dynamic; 0 = no
 * bound. The element bounds are always on.
 */
record InputLimits(long maxBatch, long maxSequence, long maxElementsPerInput, long maxTotalElements) {
    /**
     * 2^22 elements: 16 MiB of FP32, a quarter of the node's default 64 MiB body; room for a batch of
     * 27 ImageNet images or a 3.1M-element add (the daemon's never-reading-client test), far above a
     * [16, 512] MiniLM batch (3 x 8192). It bounds what grows linearly with the inputs; attention
     * grows with the sequence squared, which only max_sequence bounds.
     */
    static final long DEFAULT_MAX_TOTAL_ELEMENTS = 1L << 22;

    InputLimits {
        if (maxBatch < 0 || maxSequence < 0) {
            throw new IllegalArgumentException(
                    "max_batch and max_sequence must be >= 0 (0 = no bound), got " + maxBatch + "/" + maxSequence);
        }
        if (maxElementsPerInput < 1 || maxTotalElements < 1) {
            throw new IllegalArgumentException("max_elements_per_input and max_total_elements must be >= 1, got "
                    + maxElementsPerInput + "/" + maxTotalElements);
        }
    }

    static InputLimits defaults() {
        return new InputLimits(0, 0, DEFAULT_MAX_TOTAL_ELEMENTS, DEFAULT_MAX_TOTAL_ELEMENTS);
    }
}
