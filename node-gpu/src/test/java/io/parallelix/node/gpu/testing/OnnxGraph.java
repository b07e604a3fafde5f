package io.parallelix.node.gpu.testing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small ONNX models in memory: a hand-written encoder for the handful of ModelProto,
 * GraphProto, NodeProto, ValueInfoProto, TensorProto and AttributeProto fields the test models
 * use (field numbers from onnx/onnx.proto). Dims are Long/Integer (fixed) or String (symbolic,
 * which ONNX Runtime reports as -1).
 */
public final class OnnxGraph {
    // TensorProto.DataType
    public static final int FLOAT = 1;
    public static final int UINT8 = 2;
    public static final int INT8 = 3;
    public static final int INT16 = 5;
    public static final int INT32 = 6;
    public static final int INT64 = 7;
    public static final int STRING = 8;
    public static final int BOOL = 9;
    public static final int FLOAT16 = 10;
    public static final int DOUBLE = 11;
    public static final int BFLOAT16 = 16;

    /** A node attribute: an int, a float, a list of ints, or a subgraph. */
    public static final class Attribute {
        private final ProtoWriter proto;

        private Attribute(ProtoWriter proto) {
            this.proto = proto;
        }

        public static Attribute of(String name, long value) {
            return new Attribute(
                    new ProtoWriter().string(1, name).int64(3, value).int64(20, 2));
        }

        public static Attribute ofFloat(String name, float value) {
            return new Attribute(
                    new ProtoWriter().string(1, name).float32(2, value).int64(20, 1));
        }

        public static Attribute ints(String name, long... values) {
            ProtoWriter a = new ProtoWriter().string(1, name);
            for (long v : values) {
                a.int64(8, v);
            }
            return new Attribute(a.int64(20, 7));
        }

        public static Attribute graph(String name, OnnxGraph graph) {
            return new Attribute(
                    new ProtoWriter().string(1, name).message(6, graph.encode()).int64(20, 5));
        }
    }

    private final String name;
    private final List<ProtoWriter> nodes = new ArrayList<>();
    private final List<ProtoWriter> initializers = new ArrayList<>();
    private final List<ProtoWriter> inputs = new ArrayList<>();
    private final List<ProtoWriter> outputs = new ArrayList<>();

    public OnnxGraph(String name) {
        this.name = name;
    }

    public OnnxGraph input(String tensor, int elemType, Object... dims) {
        inputs.add(valueInfo(tensor, elemType, dims));
        return this;
    }

    public OnnxGraph output(String tensor, int elemType, Object... dims) {
        outputs.add(valueInfo(tensor, elemType, dims));
        return this;
    }

    public OnnxGraph node(String opType, List<String> in, List<String> out, Attribute... attributes) {
        ProtoWriter n = new ProtoWriter();
        in.forEach(i -> n.string(1, i));
        out.forEach(o -> n.string(2, o));
        n.string(3, opType + "_" + nodes.size()).string(4, opType);
        for (Attribute a : attributes) {
            n.message(5, a.proto);
        }
        nodes.add(n);
        return this;
    }

    /** A constant tensor; raw is little-endian, row-major. */
    public OnnxGraph initializer(String tensor, int elemType, long[] dims, byte[] raw) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.int64(1, d);
        }
        initializers.add(t.int64(2, elemType).string(8, tensor).bytes(9, raw));
        return this;
    }

    /** A constant FP32 tensor ({@code dims} empty for a scalar). */
    public OnnxGraph floats(String tensor, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return initializer(tensor, FLOAT, dims, b.array());
    }

    /** A constant INT64 tensor ({@code dims} empty for a scalar). */
    public OnnxGraph longs(String tensor, long[] dims, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return initializer(tensor, INT64, dims, b.array());
    }

    /**
     * A constant tensor whose bytes live in another file, as large exports keep their weights
     * ({@code location} relative to the model file; offset and length in bytes).
     */
    public OnnxGraph externalInitializer(
            String tensor, int elemType, long[] dims, String location, long offset, long length) {
        ProtoWriter t = new ProtoWriter();
        for (long d : dims) {
            t.int64(1, d);
        }
        t.int64(2, elemType).string(8, tensor);
        t.message(13, new ProtoWriter().string(1, "location").string(2, location));
        t.message(13, new ProtoWriter().string(1, "offset").string(2, Long.toString(offset)));
        t.message(13, new ProtoWriter().string(1, "length").string(2, Long.toString(length)));
        initializers.add(t.int64(14, 1)); // data_location = EXTERNAL
        return this;
    }

    /** The serialized ModelProto (IR version 8, default-domain opset {@code opset}). */
    public byte[] toModel(int opset) {
        ProtoWriter opsetId = new ProtoWriter().string(1, "").int64(2, opset);
        return new ProtoWriter()
                .int64(1, 8)
                .string(2, "pxnode-tests")
                .message(7, encode())
                .message(8, opsetId)
                .toByteArray();
    }

    ProtoWriter encode() {
        ProtoWriter g = new ProtoWriter();
        nodes.forEach(n -> g.message(1, n));
        g.string(2, name);
        initializers.forEach(t -> g.message(5, t));
        inputs.forEach(v -> g.message(11, v));
        outputs.forEach(v -> g.message(12, v));
        return g;
    }

    private static ProtoWriter valueInfo(String tensor, int elemType, Object... dims) {
        ProtoWriter shape = new ProtoWriter();
        for (Object d : dims) {
            ProtoWriter dim = new ProtoWriter();
            if (d instanceof String symbol) {
                dim.string(2, symbol);
            } else {
                dim.int64(1, ((Number) d).longValue());
            }
            shape.message(1, dim);
        }
        ProtoWriter tensorType = new ProtoWriter().int64(1, elemType).message(2, shape);
        return new ProtoWriter().string(1, tensor).message(2, new ProtoWriter().message(1, tensorType));
    }
}
