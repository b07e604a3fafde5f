package io.parallelix.node.gpu;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Default warm-up and canary inputs: every element zero (BYTES: empty), every dynamic dimension 1. */
final class ZeroInputs {
    private ZeroInputs() {}

    static List<InputTensor> of(List<TensorSpec> inputs) {
        List<InputTensor> out = new ArrayList<>();
        for (TensorSpec spec : inputs) {
            List<Long> shape = spec.shape().stream().map(d -> d < 0 ? 1L : d).toList();
            long count = Shapes.elementCount(shape);
            int elementBytes =
                    spec.datatype() == DataType.BYTES ? 4 : spec.datatype().byteSize();
            if (count < 0 || count > Integer.MAX_VALUE / elementBytes) {
                throw new IllegalArgumentException(
                        "input '" + spec.name() + "' " + shape + " is too large for a zero-filled warm-up;"
                                + " give warm-up and canary inputs in config.yaml");
            }
            out.add(new InputTensor(
                    spec.name(), spec.datatype(), shape, ByteBuffer.allocate((int) (count * elementBytes))));
        }
        return out;
    }
}
