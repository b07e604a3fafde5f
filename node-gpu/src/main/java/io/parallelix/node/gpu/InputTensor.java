package io.parallelix.node.gpu;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * One request input as raw bytes: little-endian, row-major for fixed-size types (FP16/BF16 as
 * their 16-bit patterns, BOOL as one byte 0/1); for BYTES, per element a 4-byte little-endian
 * length then the bytes (the OIP binary layout). The buffer is read from its position to its
 * limit and is not modified; it may be a slice of a request body (no copy).
 */
public record InputTensor(String name, DataType datatype, List<Long> shape, ByteBuffer data) {}
