package io.parallelix.node.daemon.protocol;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** A growable little-endian byte sink for tensor data decoded from JSON. Not thread-safe. */
final class LeBuffer {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[] bytes;
    private int size;

    LeBuffer(int initialCapacity) {
        bytes = new byte[Math.max(16, initialCapacity)];
    }

    private void ensure(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
        }
    }

    void putByte(int v) {
        ensure(1);
        bytes[size++] = (byte) v;
    }

    void putShort(short v) {
        ensure(2);
        SHORT.set(bytes, size, v);
        size += 2;
    }

    void putInt(int v) {
        ensure(4);
        INT.set(bytes, size, v);
        size += 4;
    }

    void putLong(long v) {
        ensure(8);
        LONG.set(bytes, size, v);
        size += 8;
    }

    void putBytes(byte[] v) {
        ensure(v.length);
        System.arraycopy(v, 0, bytes, size, v.length);
        size += v.length;
    }

    int size() {
        return size;
    }

    /** A read-only little-endian view of what was written; no copy. */
    ByteBuffer view() {
        return ByteBuffer.wrap(bytes, 0, size)
                .slice()
                .order(ByteOrder.LITTLE_ENDIAN)
                .asReadOnlyBuffer();
    }
}
