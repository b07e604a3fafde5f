package io.parallelix.node.gpu;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The canonical result encoding: a safetensors file with tensors in name order, header JSON with
 * sorted keys and no whitespace, space-padded to a multiple of 8, data little-endian row-major,
 * and {@code __metadata__} (string values only). Same values in, same bytes out, on every node.
 * The byte-by-byte layout is in docs/engine.md.
 */
public final class Safetensors {
    /** A decoded tensor; data is little-endian, read-only. */
    public record Tensor(String name, String dtype, List<Long> shape, ByteBuffer data) {
        public Tensor {
            shape = List.copyOf(shape);
        }
    }

    /** A decoded file: tensors in file order and the metadata map. */
    public record File(List<Tensor> tensors, Map<String, String> metadata) {
        public File {
            tensors = List.copyOf(tensors);
            metadata = Map.copyOf(metadata);
        }
    }

    private Safetensors() {}

    /**
     * Strict parse: rejects anything a canonical encoder would not write (IllegalArgumentException
     * saying what is wrong). Tensor data are read-only views of {@code bytes}, not copies.
     */
    public static File decode(byte[] bytes) {
        return SafetensorsReader.decode(bytes);
    }

    /**
     * The canonical encoding of these tensors (any order; each data buffer is read from its
     * position to its limit and not modified) and metadata (omitted when empty). Rejects unknown
     * dtypes, data whose length does not match the shape, and duplicate names.
     */
    public static byte[] encode(List<Tensor> tensors, Map<String, String> metadata) {
        return SafetensorsWriter.encode(tensors, metadata);
    }
}
