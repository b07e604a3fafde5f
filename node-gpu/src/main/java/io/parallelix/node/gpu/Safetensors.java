package io.parallelix.node.gpu;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/**
 * The canonical result encoding: a safetensors file with tensors in name order, header JSON with
 * sorted keys and no whitespace, space-padded to a multiple of 8, data little-endian row-major,
 * and {@code __metadata__} (string values only). Same values in, same bytes out, on every node.
 */
public final class Safetensors {
    /** A decoded tensor; data is little-endian, read-only. */
    public record Tensor(String name, String dtype, List<Long> shape, ByteBuffer data) {}

    /** A decoded file: tensors in file order and the metadata map. */
    public record File(List<Tensor> tensors, Map<String, String> metadata) {}

    private Safetensors() {}

    /** Strict parse: rejects anything a canonical encoder would not write. */
    public static File decode(byte[] bytes) {
        throw new UnsupportedOperationException("stub");
    }
}
