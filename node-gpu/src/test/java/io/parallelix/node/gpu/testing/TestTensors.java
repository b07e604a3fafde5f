package io.parallelix.node.gpu.testing;

import io.parallelix.node.gpu.DataType;
import io.parallelix.node.gpu.InputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Request inputs in the raw little-endian layout the engine takes, for tests. */
public final class TestTensors {
    private TestTensors() {}

    public static InputTensor fp32(String name, List<Long> shape, float... values) {
        ByteBuffer b = le(4 * values.length);
        for (float v : values) {
            b.putFloat(v);
        }
        return new InputTensor(name, DataType.FP32, shape, b.flip());
    }

    public static InputTensor int64(String name, List<Long> shape, long... values) {
        ByteBuffer b = le(8 * values.length);
        for (long v : values) {
            b.putLong(v);
        }
        return new InputTensor(name, DataType.INT64, shape, b.flip());
    }

    /** BYTES in the OIP layout: per element a 4-byte little-endian length, then the UTF-8 bytes. */
    public static InputTensor bytes(String name, List<Long> shape, String... values) {
        return new InputTensor(name, DataType.BYTES, shape, ByteBuffer.wrap(bytesLayout(values)));
    }

    public static byte[] bytesLayout(String... values) {
        int size = 0;
        for (String v : values) {
            size += 4 + v.getBytes(StandardCharsets.UTF_8).length;
        }
        byte[] out = new byte[size];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        for (String v : values) {
            byte[] utf8 = v.getBytes(StandardCharsets.UTF_8);
            b.putInt(utf8.length).put(utf8);
        }
        return out;
    }

    /** Any datatype from raw little-endian bytes. */
    public static InputTensor raw(String name, DataType type, List<Long> shape, byte[] data) {
        return new InputTensor(name, type, shape, ByteBuffer.wrap(data));
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
