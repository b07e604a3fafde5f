package io.parallelix.node.gpu;

import io.parallelix.node.gpu.Safetensors.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** Writes the canonical safetensors form (layout in docs/engine.md). */
final class SafetensorsWriter {
    static final String METADATA_KEY = "__metadata__";

    /** Element sizes of the dtypes we write (the safetensors names of the OIP fixed-size types). */
    static final Map<String, Integer> DTYPE_SIZES =
            Map.of("BOOL", 1, "U8", 1, "I8", 1, "I16", 2, "I32", 4, "I64", 8, "F16", 2, "BF16", 2, "F32", 4, "F64", 8);

    private SafetensorsWriter() {}

    static byte[] encode(List<Tensor> tensors, Map<String, String> metadata) {
        Layout layout = layout(tensors, metadata);
        if (layout.total() > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("safetensors file of " + layout.total() + " bytes is too large");
        }
        ByteBuffer out = ByteBuffer.allocate((int) layout.total());
        out.put(layout.header());
        for (Tensor t : layout.tensors()) {
            out.put(t.data().duplicate());
        }
        return out.array();
    }

    /** The SHA-256 of the canonical encoding, streamed: the file itself is never built. */
    static byte[] sha256(List<Tensor> tensors, Map<String, String> metadata) {
        Layout layout = layout(tensors, metadata);
        MessageDigest digest = FileDigest.newSha256();
        digest.update(layout.header());
        for (Tensor t : layout.tensors()) {
            digest.update(t.data().duplicate());
        }
        return digest.digest();
    }

    /** Tensors in name order and the header: length prefix, JSON, padding (never compared). */
    @SuppressWarnings("ArrayRecordComponent")
    private record Layout(List<Tensor> tensors, byte[] header, long total) {}

    private static Layout layout(List<Tensor> tensors, Map<String, String> metadata) {
        TreeMap<String, Tensor> byName = new TreeMap<>(CanonicalJson.CODE_POINT_ORDER);
        for (Tensor t : tensors) {
            if (t.name().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("a tensor may not be named " + METADATA_KEY);
            }
            if (byName.put(t.name(), t) != null) {
                throw new IllegalArgumentException("two tensors named '" + t.name() + "'");
            }
            checkData(t);
        }
        TreeMap<String, String> meta = new TreeMap<>(CanonicalJson.CODE_POINT_ORDER);
        meta.putAll(metadata);

        List<String> keys = new ArrayList<>(byName.keySet());
        if (!meta.isEmpty()) {
            keys.add(METADATA_KEY);
            keys.sort(CanonicalJson.CODE_POINT_ORDER);
        }
        StringBuilder json = new StringBuilder("{");
        long offset = 0;
        for (String key : keys) {
            if (json.length() > 1) {
                json.append(',');
            }
            CanonicalJson.appendString(json, key).append(':');
            if (key.equals(METADATA_KEY)) {
                appendMetadata(json, meta);
            } else {
                Tensor t = Objects.requireNonNull(byName.get(key));
                long end = offset + t.data().remaining();
                appendTensor(json, t, offset, end);
                offset = end;
            }
        }
        byte[] text = json.append('}').toString().getBytes(StandardCharsets.UTF_8);
        int padded = text.length + (8 - (8 + text.length) % 8) % 8;
        ByteBuffer header = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        header.putLong(padded).put(text);
        while (header.hasRemaining()) {
            header.put((byte) ' ');
        }
        return new Layout(List.copyOf(byName.values()), header.array(), 8L + padded + offset);
    }

    private static void checkData(Tensor t) {
        Integer size = DTYPE_SIZES.get(t.dtype());
        if (size == null) {
            throw new IllegalArgumentException("tensor '" + t.name() + "' has unknown dtype " + t.dtype());
        }
        long elements = Shapes.elementCount(t.shape());
        if (elements < 0
                || elements > Integer.MAX_VALUE / size
                || elements * size != t.data().remaining()) {
            throw new IllegalArgumentException("tensor '" + t.name() + "' of " + t.dtype() + " " + t.shape()
                    + " needs " + (elements < 0 ? "an impossible number of" : elements * size) + " bytes, has "
                    + t.data().remaining());
        }
    }

    private static void appendTensor(StringBuilder out, Tensor t, long begin, long end) {
        out.append("{\"data_offsets\":[").append(begin).append(',').append(end).append("],\"dtype\":");
        CanonicalJson.appendString(out, t.dtype()).append(",\"shape\":[");
        for (int i = 0; i < t.shape().size(); i++) {
            out.append(i == 0 ? "" : ",").append(t.shape().get(i));
        }
        out.append("]}");
    }

    private static void appendMetadata(StringBuilder out, Map<String, String> meta) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, String> e : meta.entrySet()) {
            out.append(first ? "" : ",");
            CanonicalJson.appendString(out, e.getKey()).append(':');
            CanonicalJson.appendString(out, e.getValue());
            first = false;
        }
        out.append('}');
    }
}
