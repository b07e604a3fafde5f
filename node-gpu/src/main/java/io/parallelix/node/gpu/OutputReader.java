package io.parallelix.node.gpu;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Copies ORT outputs out of native memory into canonical tensors (before the Result is closed). */
final class OutputReader {
    private OutputReader() {}

    static void read(String name, OnnxValue value, CanonicalTensors into) throws OrtException {
        if (!(value instanceof OnnxTensor tensor)) {
            throw new IllegalStateException("output '" + name + "' is a " + value.getType() + ", not a tensor");
        }
        TensorInfo info = tensor.getInfo();
        DataType type = OrtTypes.toDataType(info.onnxType)
                .orElseThrow(
                        () -> new IllegalStateException("output '" + name + "' has unsupported type " + info.onnxType));
        List<Long> shape = new ArrayList<>();
        for (long d : info.getShape()) {
            shape.add(d);
        }
        if (type == DataType.BYTES) {
            List<String> strings = new ArrayList<>();
            flatten(tensor.getValue(), strings);
            into.addBytes(name, shape, ByteBuffer.wrap(BytesLayout.encode(strings.toArray(String[]::new))));
        } else {
            // A heap copy in native order, which the engine checked is little-endian at open.
            ByteBuffer data = tensor.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            into.addFixed(name, type, shape, data);
        }
    }

    /** ORT hands string tensors back as nested String arrays (a bare String for a scalar). */
    private static void flatten(Object value, List<String> out) {
        if (value instanceof String s) {
            out.add(s);
        } else if (value instanceof Object[] array) {
            for (Object element : array) {
                flatten(element, out);
            }
        } else {
            throw new IllegalStateException("unexpected string tensor element " + value.getClass());
        }
    }
}
