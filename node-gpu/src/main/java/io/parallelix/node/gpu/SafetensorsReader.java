package io.parallelix.node.gpu;

import io.parallelix.node.gpu.Safetensors.Tensor;
import io.parallelix.node.gpu.text.Utf8;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Strict safetensors decoding: parses the header (JSON without whitespace), checks every offset
 * against dtype and shape, then re-encodes and requires the very same bytes, so anything a
 * canonical encoder would not have written (key order, escaping, padding) is rejected.
 */
final class SafetensorsReader {
    private SafetensorsReader() {}

    static Safetensors.File decode(byte[] bytes) {
        if (bytes.length < 8) {
            throw fail("file is " + bytes.length + " bytes, shorter than the 8-byte header length");
        }
        long headerLength =
                ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 2 || headerLength > bytes.length - 8L) {
            throw fail("header length " + headerLength + " does not fit a file of " + bytes.length + " bytes");
        }
        int dataStart = 8 + (int) headerLength;
        int end = dataStart;
        while (end > 8 && bytes[end - 1] == ' ') {
            end--;
        }
        String header = utf8(Arrays.copyOfRange(bytes, 8, end));
        Map<String, Object> entries = new HeaderParser(header).parse();

        List<Tensor> tensors = new ArrayList<>();
        Map<String, String> metadata = Map.of();
        long expectedBegin = 0;
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            if (e.getValue() instanceof HeaderParser.TensorEntry t) {
                if (t.begin() != expectedBegin) {
                    throw fail("tensor '" + e.getKey() + "' starts at " + t.begin() + ", expected " + expectedBegin);
                }
                Integer size = SafetensorsWriter.DTYPE_SIZES.get(t.dtype());
                if (size == null) {
                    throw fail("tensor '" + e.getKey() + "' has unknown dtype " + t.dtype());
                }
                long elements = Shapes.elementCount(t.shape());
                if (elements < 0 || elements > Integer.MAX_VALUE / size || t.end() - t.begin() != elements * size) {
                    throw fail("tensor '" + e.getKey() + "' of " + t.dtype() + " " + t.shape() + " spans "
                            + (t.end() - t.begin()) + " bytes");
                }
                if (t.end() > bytes.length - (long) dataStart) {
                    throw fail("tensor '" + e.getKey() + "' ends past the end of the file");
                }
                ByteBuffer data = ByteBuffer.wrap(bytes, dataStart + (int) t.begin(), (int) (t.end() - t.begin()))
                        .slice()
                        .asReadOnlyBuffer()
                        .order(ByteOrder.LITTLE_ENDIAN);
                tensors.add(new Tensor(e.getKey(), t.dtype(), t.shape(), data));
                expectedBegin = t.end();
            } else {
                @SuppressWarnings("unchecked")
                Map<String, String> meta = (Map<String, String>) e.getValue();
                metadata = meta;
            }
        }
        if (dataStart + expectedBegin != bytes.length) {
            throw fail("data is " + (bytes.length - dataStart) + " bytes but the tensors cover " + expectedBegin);
        }
        if (!Arrays.equals(SafetensorsWriter.encode(tensors, metadata), bytes)) {
            throw fail("header is not in canonical form (key order, escaping, empty metadata or padding)");
        }
        return new Safetensors.File(tensors, new LinkedHashMap<>(metadata));
    }

    private static String utf8(byte[] bytes) {
        try {
            return Utf8.decode(bytes);
        } catch (CharacterCodingException e) {
            throw fail("header is not valid UTF-8");
        }
    }

    static IllegalArgumentException fail(String message) {
        return new IllegalArgumentException("not a canonical safetensors file: " + message);
    }
}
