package io.parallelix.node.crypto;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tiny safetensors writer for test results: 8-byte little-endian header length, JSON header
 * (padded with spaces to a multiple of 8), then the tensors' bytes back to back.
 */
final class Safetensors {
    @SuppressWarnings("ArrayRecordComponent") // test data holder
    record Tensor(String dtype, long[] shape, byte[] data) {}

    private final Map<String, Tensor> tensors = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    Safetensors add(String name, String dtype, long[] shape, byte[] data) {
        tensors.put(name, new Tensor(dtype, shape, data));
        return this;
    }

    Safetensors meta(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    byte[] bytes() {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", e.getValue().dtype());
            List<Long> shape = new ArrayList<>();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            t.set("shape", json.valueToTree(shape));
            t.set(
                    "data_offsets",
                    json.valueToTree(
                            List.of(data.size(), data.size() + e.getValue().data().length)));
            data.writeBytes(e.getValue().data());
        }
        byte[] head = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (head.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + data.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(head);
        for (int i = head.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        out.put(data.toByteArray());
        return out.array();
    }

    static byte[] f32(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }

    static byte[] i64(long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return b.array();
    }

    /** bfloat16: the top 16 bits of the float32 (values chosen to be exact). */
    static byte[] bf16(float... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort((short) (Float.floatToRawIntBits(v) >>> 16));
        }
        return b.array();
    }

    static byte[] f16(float... values) {
        ByteBuffer b = ByteBuffer.allocate(2 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putShort(Float.floatToFloat16(v));
        }
        return b.array();
    }
}
