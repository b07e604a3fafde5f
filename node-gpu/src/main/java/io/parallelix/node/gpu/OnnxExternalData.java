package io.parallelix.node.gpu;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The external data files an ONNX model names (weights beside {@code model.onnx}, e.g.
 * {@code model.onnx_data}), read from the graph itself so that the model's digest covers them.
 * A minimal protobuf walk over the mapped file: only the messages that can hold tensors are
 * entered (graph, initializers, node attributes, subgraphs); raw weight bytes are skipped, never
 * read.
 */
final class OnnxExternalData {
    // Field numbers from onnx.proto (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
    // SparseTensorProto, StringStringEntryProto).
    private static final int MODEL_GRAPH = 7;
    private static final int GRAPH_NODE = 1;
    private static final int GRAPH_INITIALIZER = 5;
    private static final int GRAPH_SPARSE_INITIALIZER = 15;
    private static final int NODE_ATTRIBUTE = 5;
    private static final int ATTRIBUTE_T = 5;
    private static final int ATTRIBUTE_G = 6;
    private static final int ATTRIBUTE_TENSORS = 10;
    private static final int ATTRIBUTE_GRAPHS = 11;
    private static final int ATTRIBUTE_SPARSE_TENSOR = 22;
    private static final int SPARSE_VALUES = 1;
    private static final int SPARSE_INDICES = 2;
    private static final int TENSOR_EXTERNAL_DATA = 13;
    private static final int ENTRY_KEY = 1;
    private static final int ENTRY_VALUE = 2;
    private static final int MAX_DEPTH = 64;

    private final ByteBuffer buf;
    private final Set<String> locations = new TreeSet<>();
    /** Where the last varint read ended (one walk per instance, single-threaded). */
    private int next;

    private OnnxExternalData(ByteBuffer buf) {
        this.buf = buf;
    }

    /** The "location" values of every externally stored tensor, as written in the model (relative paths). */
    static Set<String> locations(Path modelFile) throws IOException {
        try (FileChannel ch = FileChannel.open(modelFile, StandardOpenOption.READ)) {
            if (ch.size() > Integer.MAX_VALUE) {
                throw new IOException("larger than 2 GiB, which an ONNX protobuf cannot be");
            }
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            OnnxExternalData walk = new OnnxExternalData(map);
            walk.message(0, map.limit(), Kind.MODEL, 0);
            return walk.locations;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new IOException("not a valid ONNX protobuf: " + e.getMessage(), e);
        }
    }

    private enum Kind {
        MODEL,
        GRAPH,
        NODE,
        ATTRIBUTE,
        SPARSE,
        TENSOR,
        ENTRY
    }

    private void message(int start, int end, Kind kind, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("messages nested deeper than " + MAX_DEPTH);
        }
        @Nullable String key = null;
        @Nullable String value = null;
        int pos = start;
        while (pos < end) {
            long tag = varint(pos);
            pos = next;
            int field = (int) (tag >>> 3);
            int wire = (int) (tag & 7);
            switch (wire) {
                case 0 -> {
                    varint(pos);
                    pos = next;
                }
                case 1 -> pos += 8;
                case 5 -> pos += 4;
                case 2 -> {
                    long len = varint(pos);
                    pos = next;
                    if (len < 0 || len > end - pos) {
                        throw new IllegalArgumentException("a field runs past its message");
                    }
                    int to = pos + (int) len;
                    Kind child = child(kind, field);
                    if (child != null) {
                        message(pos, to, child, depth + 1);
                    } else if (kind == Kind.ENTRY && field == ENTRY_KEY) {
                        key = text(pos, to);
                    } else if (kind == Kind.ENTRY && field == ENTRY_VALUE) {
                        value = text(pos, to);
                    }
                    pos = to;
                }
                default -> throw new IllegalArgumentException("wire type " + wire + " at byte " + pos);
            }
            if (pos > end) {
                throw new IllegalArgumentException("a field runs past its message");
            }
        }
        if (kind == Kind.ENTRY && "location".equals(key) && value != null) {
            locations.add(value);
        }
    }

    /** The message kind a length-delimited field holds, or null for one that cannot hold tensors. */
    private static @Nullable Kind child(Kind kind, int field) {
        return switch (kind) {
            case MODEL -> field == MODEL_GRAPH ? Kind.GRAPH : null;
            case GRAPH ->
                switch (field) {
                    case GRAPH_NODE -> Kind.NODE;
                    case GRAPH_INITIALIZER -> Kind.TENSOR;
                    case GRAPH_SPARSE_INITIALIZER -> Kind.SPARSE;
                    default -> null;
                };
            case NODE -> field == NODE_ATTRIBUTE ? Kind.ATTRIBUTE : null;
            case ATTRIBUTE ->
                switch (field) {
                    case ATTRIBUTE_T, ATTRIBUTE_TENSORS -> Kind.TENSOR;
                    case ATTRIBUTE_G, ATTRIBUTE_GRAPHS -> Kind.GRAPH;
                    case ATTRIBUTE_SPARSE_TENSOR -> Kind.SPARSE;
                    default -> null;
                };
            case SPARSE -> field == SPARSE_VALUES || field == SPARSE_INDICES ? Kind.TENSOR : null;
            case TENSOR -> field == TENSOR_EXTERNAL_DATA ? Kind.ENTRY : null;
            case ENTRY -> null;
        };
    }

    /** A base-128 varint at pos; sets {@link #next} to the byte after it. */
    private long varint(int pos) {
        long v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = buf.get(pos++);
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                next = pos;
                return v;
            }
        }
        throw new IllegalArgumentException("a varint longer than 10 bytes");
    }

    private String text(int from, int to) {
        byte[] bytes = new byte[to - from];
        buf.get(from, bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
