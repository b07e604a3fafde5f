package io.parallelix.node.gpu;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ONNX Runtime tensors of one run, closed together. Fixed-size inputs in a direct buffer are
 * handed to ORT in place (it reads native memory at the buffer's address); heap data is copied
 * once into a pooled direct buffer, which goes back to the pool after the tensors are closed.
 */
final class TensorSet implements AutoCloseable {
    private final Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
    private final List<ByteBuffer> borrowed = new ArrayList<>();
    private final DirectBuffers buffers;

    private TensorSet(DirectBuffers buffers) {
        this.buffers = buffers;
    }

    static TensorSet build(OrtEnvironment env, DirectBuffers buffers, List<ValidInput> inputs) throws OrtException {
        TensorSet set = new TensorSet(buffers);
        try {
            for (ValidInput in : inputs) {
                set.tensors.put(in.name(), set.create(env, in));
            }
            return set;
        } catch (OrtException | RuntimeException e) {
            set.close();
            throw e;
        }
    }

    Map<String, OnnxTensor> byName() {
        return tensors;
    }

    private OnnxTensor create(OrtEnvironment env, ValidInput in) throws OrtException {
        long[] shape = Shapes.toArray(in.shape());
        if (in.type() == DataType.BYTES) {
            return OnnxTensor.createTensor(env, in.strings().toArray(String[]::new), shape);
        }
        return OnnxTensor.createTensor(env, direct(in.data()), shape, OrtTypes.toOrt(in.type()));
    }

    /** A direct, little-endian view from position 0 (ORT reads from the position to the limit). */
    private ByteBuffer direct(ByteBuffer data) {
        if (data.isDirect()) {
            return data.slice().order(ByteOrder.LITTLE_ENDIAN);
        }
        ByteBuffer copy = buffers.take(data.remaining());
        borrowed.add(copy);
        copy.put(data.duplicate()).flip();
        return copy;
    }

    @Override
    public void close() {
        tensors.values().forEach(OnnxTensor::close);
        borrowed.forEach(buffers::give);
        borrowed.clear();
    }
}
