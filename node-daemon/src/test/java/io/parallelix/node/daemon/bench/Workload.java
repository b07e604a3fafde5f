package io.parallelix.node.daemon.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One benchmark workload: a model of the bench repository and one fixed request for it, as the OIP
 * JSON body the node receives, the binary-extension form, and the ORT tensors the limit loop feeds
 * straight to a session. "add" is the tiny generated model (a, b FP32 [1, 4]); "minilm-N" is
 * all-MiniLM-L6-v2 at N tokens ("hello world world ... [SEP]", all attended, one segment).
 */
record Workload(String name, String model, List<Input> inputs) {
    static final String REQUEST_ID = "req_bench-0000000000000000000001";

    /** One input: INT64 or FP32 values, shape [1, n]. */
    record Input(String name, String datatype, long[] ints, float[] floats) {
        int length() {
            return datatype.equals("FP32") ? floats.length : ints.length;
        }

        ByteBuffer littleEndian() {
            int size = datatype.equals("FP32") ? 4 : 8;
            ByteBuffer b = ByteBuffer.allocateDirect(length() * size).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < length(); i++) {
                if (datatype.equals("FP32")) {
                    b.putFloat(floats[i]);
                } else {
                    b.putLong(ints[i]);
                }
            }
            return b.flip();
        }
    }

    static Workload byName(String name) {
        if (name.equals("add")) {
            return new Workload(
                    "add",
                    TestModels.ADD,
                    List.of(
                            new Input("a", "FP32", new long[0], new float[] {1, 2, 3, 4}),
                            new Input("b", "FP32", new long[0], new float[] {10, 20, 30, 40})));
        }
        if (name.startsWith("minilm-")) {
            int tokens = Integer.parseInt(name.substring("minilm-".length()));
            long[] ids = new long[tokens];
            ids[0] = 101;
            for (int i = 1; i < tokens - 1; i++) {
                ids[i] = i == 1 ? 7592 : 2088;
            }
            ids[tokens - 1] = 102;
            long[] mask = new long[tokens];
            java.util.Arrays.fill(mask, 1);
            return new Workload(
                    name,
                    BenchRepository.MINILM,
                    List.of(
                            new Input("input_ids", "INT64", ids, new float[0]),
                            new Input("attention_mask", "INT64", mask, new float[0]),
                            new Input("token_type_ids", "INT64", new long[tokens], new float[0])));
        }
        throw new IllegalArgumentException("unknown workload '" + name + "' (add, minilm-<tokens>)");
    }

    /** The OIP JSON request, as a coordinator would send it. */
    byte[] json() {
        StringBuilder s = new StringBuilder("{\"id\":\"").append(REQUEST_ID).append("\",\"inputs\":[");
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            appendHead(s.append(i == 0 ? "" : ","), in).append(",\"data\":[");
            for (int k = 0; k < in.length(); k++) {
                s.append(k == 0 ? "" : ",");
                if (in.datatype().equals("FP32")) {
                    s.append(in.floats()[k]);
                } else {
                    s.append(in.ints()[k]);
                }
            }
            s.append("]}");
        }
        return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The binary tensor extension: JSON header (its length is {@link #binaryJsonLength}) + raw bytes. */
    byte[] binary() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = binaryHeader();
        out.writeBytes(header);
        for (Input in : inputs) {
            ByteBuffer b = in.littleEndian();
            byte[] raw = new byte[b.remaining()];
            b.get(raw);
            out.writeBytes(raw);
        }
        return out.toByteArray();
    }

    int binaryJsonLength() {
        return binaryHeader().length;
    }

    private byte[] binaryHeader() {
        StringBuilder s = new StringBuilder("{\"id\":\"").append(REQUEST_ID).append("\",\"inputs\":[");
        for (int i = 0; i < inputs.size(); i++) {
            Input in = inputs.get(i);
            int bytes = in.length() * (in.datatype().equals("FP32") ? 4 : 8);
            appendHead(s.append(i == 0 ? "" : ","), in)
                    .append(",\"parameters\":{\"binary_data_size\":")
                    .append(bytes)
                    .append("}}");
        }
        return s.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** {@code {"name":…,"shape":[1,n],"datatype":…} without the closing brace. */
    private static StringBuilder appendHead(StringBuilder s, Input in) {
        return s.append("{\"name\":\"")
                .append(in.name())
                .append("\",\"shape\":[1,")
                .append(in.length())
                .append("],\"datatype\":\"")
                .append(in.datatype())
                .append('"');
    }

    /** ORT tensors over direct buffers, for the limit loop; the caller closes them. */
    Map<String, OnnxTensor> ortInputs(OrtEnvironment env) throws OrtException {
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        for (Input in : inputs) {
            ByteBuffer data = in.littleEndian();
            long[] shape = {1, in.length()};
            tensors.put(
                    in.name(),
                    in.datatype().equals("FP32")
                            ? OnnxTensor.createTensor(env, data.asFloatBuffer(), shape)
                            : OnnxTensor.createTensor(env, data.asLongBuffer(), shape));
        }
        return tensors;
    }
}
