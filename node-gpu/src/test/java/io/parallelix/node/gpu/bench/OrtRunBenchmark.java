package io.parallelix.node.gpu.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.RunOptions;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.parallelix.node.gpu.testing.TestModels;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What a tiny model's run costs around ORT itself (docs/benchmarks.md, "Fourth round"): the bare
 * call, requested outputs, a fresh RunOptions per run as ModelRunner makes it (log level, arena
 * shrinkage), a shared one. Run: {@code java -cp <test class path> org.openjdk.jmh.Main
 * OrtRunBenchmark -f 1 -wi 3 -w 1s -i 5 -r 1s -jvmArgsAppend -Xss4m}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class OrtRunBenchmark {
    private OrtEnvironment env;
    private OrtSession session;
    private Map<String, OnnxTensor> in;
    private RunOptions shared;

    @Setup
    public void setUp() throws Exception {
        env = OrtEnvironment.getEnvironment();
        Path dir = Files.createTempDirectory("ortrun");
        Path model = TestModels.writeAdd(dir);
        try (SessionOptions o = new SessionOptions()) {
            o.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setDeterministicCompute(true);
            o.setIntraOpNumThreads(1);
            session = env.createSession(model.resolve("model.onnx").toString(), o);
        }
        in = Map.of(
                "a", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {1, 2, 3, 4}), new long[] {1, 4}),
                "b", OnnxTensor.createTensor(env, FloatBuffer.wrap(new float[] {4, 3, 2, 1}), new long[] {1, 4}));
        shared = new RunOptions();
    }

    @TearDown
    public void tearDown() throws Exception {
        session.close();
    }

    @Benchmark
    public long bare() throws Exception {
        try (Result r = session.run(in)) {
            return r.size();
        }
    }

    @Benchmark
    public long requestedOutputs() throws Exception {
        try (Result r = session.run(in, Set.of("sum"))) {
            return r.size();
        }
    }

    @Benchmark
    public long freshOptions() throws Exception {
        try (RunOptions o = new RunOptions();
                Result r = session.run(in, Set.of("sum"), o)) {
            return r.size();
        }
    }

    @Benchmark
    public long freshOptionsLogLevel() throws Exception {
        try (RunOptions o = new RunOptions()) {
            o.setLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            try (Result r = session.run(in, Set.of("sum"), o)) {
                return r.size();
            }
        }
    }

    @Benchmark
    public long freshOptionsShrink() throws Exception {
        try (RunOptions o = new RunOptions()) {
            o.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
            o.setLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            try (Result r = session.run(in, Set.of("sum"), o)) {
                return r.size();
            }
        }
    }

    @Benchmark
    public long sharedOptions() throws Exception {
        try (Result r = session.run(in, Set.of("sum"), shared)) {
            return r.size();
        }
    }
}
