package io.parallelix.node.gpu.testing;

import io.parallelix.node.gpu.CudaOptions;
import io.parallelix.node.gpu.EngineConfig;
import io.parallelix.node.gpu.ProviderMode;
import io.parallelix.node.gpu.testing.OnnxGraph.Attribute;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes small generated ONNX models into a model repository ({@code <modelsDir>/<name>/model.onnx})
 * for this module's tests and the daemon's (published in node-gpu's test-jar). Every model loads,
 * warms up and passes its canary with the engine's default zero-filled inputs.
 */
public final class TestModels {
    /** Model "add": inputs a, b FP32 [-1, 4]; output sum = a + b. */
    public static final String ADD = "add";
    /**
     * Model "slow": input iterations INT64 scalar (shape []); output count FP32 [1] equal to
     * iterations (exact up to 2^24). Each iteration is one ONNX Loop step, so run time grows linearly:
     * {@link #SLOW_ITERATIONS_PER_SECOND} takes about a second (0.9 s on the 2-core build machine).
     * Long.MAX_VALUE never finishes: it ends at its deadline (terminate), which is how tests use it.
     */
    public static final String SLOW = "slow";
    /** Iterations that keep "slow" busy for about a second (machine-dependent; CPU, 1 intra-op thread). */
    public static final long SLOW_ITERATIONS_PER_SECOND = 1_000_000;
    /**
     * Model "fails": Reshape(x FP32 [-1], shape INT64 [1]) -> y FP32 [-1]. Zero inputs pass (shape
     * [0] keeps x's length); any shape whose product differs from x's length, e.g. x = [1, 2, 3]
     * with shape = [2], fails inside ONNX Runtime at run time.
     */
    public static final String FAILING = "fails";
    /**
     * Model "alltypes": one Identity per OIP datatype: input {@code in_<type>} to output
     * {@code out_<type>}, each shape [-1, 2], for type in {@link #ALL_TYPES}.
     */
    public static final String ALL_TYPES_MODEL = "alltypes";
    /** The suffixes of alltypes' tensors, in DataType order (BOOL, UINT8, ..., FP64, BYTES). */
    public static final List<String> ALL_TYPES =
            List.of("bool", "uint8", "int8", "int16", "int32", "int64", "fp16", "bf16", "fp32", "fp64", "bytes");
    /**
     * Model "multi": inputs x FP32 [-1, 3] and y INT64 [-1]; outputs doubled = x + x (FP32 [-1, 3]),
     * y_copy = y (INT64 [-1]) and x_shape = Shape(x) (INT64 [2]).
     */
    public static final String MULTI = "multi";

    private static final int OPSET = 17;
    private static final List<Integer> ALL_TYPE_CODES = List.of(
            OnnxGraph.BOOL,
            OnnxGraph.UINT8,
            OnnxGraph.INT8,
            OnnxGraph.INT16,
            OnnxGraph.INT32,
            OnnxGraph.INT64,
            OnnxGraph.FLOAT16,
            OnnxGraph.BFLOAT16,
            OnnxGraph.FLOAT,
            OnnxGraph.DOUBLE,
            OnnxGraph.STRING);

    private TestModels() {}

    public static Path writeAdd(Path modelsDir) {
        OnnxGraph g = new OnnxGraph(ADD)
                .input("a", OnnxGraph.FLOAT, "batch", 4)
                .input("b", OnnxGraph.FLOAT, "batch", 4)
                .output("sum", OnnxGraph.FLOAT, "batch", 4)
                .node("Add", List.of("a", "b"), List.of("sum"));
        return writeModel(modelsDir, ADD, g.toModel(OPSET));
    }

    public static Path writeSlow(Path modelsDir) {
        OnnxGraph body = new OnnxGraph("slow_body")
                .input("i", OnnxGraph.INT64)
                .input("cond_in", OnnxGraph.BOOL)
                .input("count_in", OnnxGraph.FLOAT, 1)
                .output("cond_out", OnnxGraph.BOOL)
                .output("count_out", OnnxGraph.FLOAT, 1)
                .node("Identity", List.of("cond_in"), List.of("cond_out"))
                .node("Add", List.of("count_in", "one"), List.of("count_out"));
        OnnxGraph g = new OnnxGraph(SLOW)
                .input("iterations", OnnxGraph.INT64)
                .output("count", OnnxGraph.FLOAT, 1)
                .initializer("zero", OnnxGraph.FLOAT, new long[] {1}, floats(0f))
                .initializer("one", OnnxGraph.FLOAT, new long[] {1}, floats(1f))
                .node("Loop", List.of("iterations", "", "zero"), List.of("count"), Attribute.graph("body", body));
        return writeModel(modelsDir, SLOW, g.toModel(OPSET));
    }

    public static Path writeFailing(Path modelsDir) {
        OnnxGraph g = new OnnxGraph(FAILING)
                .input("x", OnnxGraph.FLOAT, "n")
                .input("shape", OnnxGraph.INT64, 1)
                .output("y", OnnxGraph.FLOAT, "m")
                .node("Reshape", List.of("x", "shape"), List.of("y"));
        return writeModel(modelsDir, FAILING, g.toModel(OPSET));
    }

    public static Path writeAllTypes(Path modelsDir) {
        OnnxGraph g = new OnnxGraph(ALL_TYPES_MODEL);
        for (int i = 0; i < ALL_TYPES.size(); i++) {
            String type = ALL_TYPES.get(i);
            g.input("in_" + type, ALL_TYPE_CODES.get(i), "n", 2)
                    .output("out_" + type, ALL_TYPE_CODES.get(i), "n", 2)
                    .node("Identity", List.of("in_" + type), List.of("out_" + type));
        }
        return writeModel(modelsDir, ALL_TYPES_MODEL, g.toModel(OPSET));
    }

    public static Path writeMulti(Path modelsDir) {
        OnnxGraph g = new OnnxGraph(MULTI)
                .input("x", OnnxGraph.FLOAT, "n", 3)
                .input("y", OnnxGraph.INT64, "k")
                .output("doubled", OnnxGraph.FLOAT, "n", 3)
                .output("y_copy", OnnxGraph.INT64, "k")
                .output("x_shape", OnnxGraph.INT64, 2)
                .node("Add", List.of("x", "x"), List.of("doubled"))
                .node("Identity", List.of("y"), List.of("y_copy"))
                .node("Shape", List.of("x"), List.of("x_shape"));
        return writeModel(modelsDir, MULTI, g.toModel(OPSET));
    }

    /** A CPU engine config for tests: one intra-op thread (the suite shares small machines), 4 runs per session. */
    public static EngineConfig cpuConfig(Path modelsDir) {
        return new EngineConfig(modelsDir, ProviderMode.CPU, CudaOptions.defaults(), false, 1, 0, 4);
    }

    /** A model directory whose model.onnx is not a model at all. */
    public static Path writeCorrupt(Path modelsDir, String name) {
        return writeModel(modelsDir, name, "this is not an ONNX protobuf\n".getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code <modelsDir>/<name>/model.onnx} and returns the model directory. */
    public static Path writeModel(Path modelsDir, String name, byte[] onnx) {
        try {
            Path dir = Files.createDirectories(modelsDir.resolve(name));
            Files.write(dir.resolve("model.onnx"), onnx);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a per-model config ({@code <modelDir>/config.yaml}, format in docs/engine.md). */
    public static Path writeConfig(Path modelDir, String yaml) {
        try {
            return Files.writeString(modelDir.resolve("config.yaml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] floats(float... values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return b.array();
    }
}
