package io.parallelix.node.gpu;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.util.List;

/** Test-only doors into package-private hot paths, for the JMH benchmarks in {@code bench}. */
public final class BenchHooks {
    private BenchHooks() {}

    private static final DirectBuffers BUFFERS = new DirectBuffers(64L << 20);

    /** Builds the ORT tensor for one fixed-size input (as a request would) and closes it. */
    public static void buildTensor(OrtEnvironment env, DataType type, List<Long> shape, ByteBuffer data)
            throws OrtException {
        try (TensorSet set =
                TensorSet.build(env, BUFFERS, List.of(new ValidInput("x", type, shape, data, List.of())))) {
            if (set.byName().isEmpty()) {
                throw new IllegalStateException("no tensor");
            }
        }
    }
}
