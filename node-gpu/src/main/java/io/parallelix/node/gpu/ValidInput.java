package io.parallelix.node.gpu;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A request input that fits its model: data is a slice of exactly the tensor's bytes (for BYTES,
 * the OIP layout, with the parsed elements in {@code strings}; empty otherwise).
 */
record ValidInput(String name, DataType type, List<Long> shape, ByteBuffer data, List<String> strings) {
    ValidInput {
        shape = List.copyOf(shape);
        strings = List.copyOf(strings);
    }
}
