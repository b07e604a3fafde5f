package io.parallelix.node.gpu.bench;

import ai.onnxruntime.OrtEnvironment;
import io.parallelix.node.gpu.BenchHooks;
import io.parallelix.node.gpu.DataType;
import io.parallelix.node.gpu.EngineException;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.InferenceRequest;
import io.parallelix.node.gpu.Safetensors;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.gpu.testing.TestTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The hot pieces of a request: building an input tensor from a buffer, encoding a MiniLM-sized
 * output (1x128x384 FP32) canonically, and one "add" inference end to end in process. Run:
 * {@code java -cp <test class path> org.openjdk.jmh.Main EngineBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineBenchmark {
    private static final List<Long> HIDDEN_SHAPE = List.of(1L, 128L, 384L);

    private OrtEnvironment env;
    private ByteBuffer direct;
    private ByteBuffer heap;
    private List<Safetensors.Tensor> output;
    private Path models;
    private InferenceEngine engine;
    private InferenceRequest add;

    @Setup
    public void setUp() throws IOException, EngineException {
        env = OrtEnvironment.getEnvironment();
        int bytes = 128 * 384 * 4;
        direct = ByteBuffer.allocateDirect(bytes).order(ByteOrder.LITTLE_ENDIAN);
        heap = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < bytes / 4; i++) {
            direct.putFloat(i * 4, i * 0.001f);
            heap.putFloat(i * 4, i * 0.001f);
        }
        output = List.of(new Safetensors.Tensor("last_hidden_state", "F32", HIDDEN_SHAPE, heap));
        models = Files.createTempDirectory("pxnode-bench");
        TestModels.writeAdd(models);
        engine = InferenceEngine.open(TestModels.cpuConfig(models));
        add = new InferenceRequest(
                "bench",
                "add",
                List.of(
                        TestTensors.fp32("a", List.of(1L, 4L), 1, 2, 3, 4),
                        TestTensors.fp32("b", List.of(1L, 4L), 4, 3, 2, 1)),
                List.of(),
                Instant.MAX);
    }

    @TearDown
    public void tearDown() throws IOException {
        engine.close();
        try (Stream<Path> paths = Files.walk(models)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Benchmark
    public void tensorFromDirectBuffer() throws Exception {
        BenchHooks.buildTensor(env, DataType.FP32, HIDDEN_SHAPE, direct);
    }

    @Benchmark
    public void tensorFromHeapBuffer() throws Exception {
        BenchHooks.buildTensor(env, DataType.FP32, HIDDEN_SHAPE, heap);
    }

    @Benchmark
    public byte[] safetensorsEncode1x128x384() {
        return Safetensors.encode(
                output, Map.of("model", "minilm", "model_sha256", "0".repeat(64), "inputs_sha256", "1".repeat(64)));
    }

    @Benchmark
    public byte[] addInferenceEndToEnd() throws InferenceException {
        return engine.infer(add).safetensors();
    }
}
