package io.parallelix.node.gpu;

import io.parallelix.node.gpu.Safetensors.Tensor;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Tensors on their way into the canonical safetensors form. BYTES tensors have no safetensors
 * dtype: they are stored as one-dimensional U8 holding the OIP layout, with their real shape in
 * the metadata under "oip_bytes:NAME" and a note under "oip_bytes" saying so.
 */
final class CanonicalTensors {
    static final String BYTES_NOTE_KEY = "oip_bytes";
    static final String BYTES_NOTE = "U8 tensors named by oip_bytes:<name> keys hold OIP BYTES elements"
            + " (per element, row-major: 4-byte little-endian length, then the bytes); the key's value is the"
            + " tensor's shape";

    private final List<Tensor> tensors = new ArrayList<>();
    private final Map<String, String> metadata = new HashMap<>();

    static String bytesShapeKey(String tensor) {
        return BYTES_NOTE_KEY + ":" + tensor;
    }

    /** Little-endian data of a fixed-size type, read from its position to its limit. */
    void addFixed(String name, DataType type, List<Long> shape, ByteBuffer data) {
        tensors.add(new Tensor(name, type.safetensorsDtype(), shape, data));
    }

    /** Data in the OIP BYTES layout. */
    void addBytes(String name, List<Long> shape, ByteBuffer layout) {
        tensors.add(new Tensor(name, DataType.BYTES.safetensorsDtype(), List.of((long) layout.remaining()), layout));
        metadata.put(bytesShapeKey(name), shapeText(shape));
        metadata.put(BYTES_NOTE_KEY, BYTES_NOTE);
    }

    static CanonicalTensors ofInputs(List<ValidInput> inputs) {
        CanonicalTensors out = new CanonicalTensors();
        for (ValidInput in : inputs) {
            if (in.type() == DataType.BYTES) {
                out.addBytes(in.name(), in.shape(), in.data());
            } else {
                out.addFixed(in.name(), in.type(), in.shape(), in.data());
            }
        }
        return out;
    }

    List<Tensor> tensors() {
        return tensors;
    }

    /** The metadata these tensors need (BYTES shapes), plus {@code extra}. */
    Map<String, String> metadata(Map<String, String> extra) {
        Map<String, String> all = new HashMap<>(metadata);
        all.putAll(extra);
        return all;
    }

    static String shapeText(List<Long> shape) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < shape.size(); i++) {
            s.append(i == 0 ? "" : ",").append(shape.get(i));
        }
        return s.append(']').toString();
    }
}
