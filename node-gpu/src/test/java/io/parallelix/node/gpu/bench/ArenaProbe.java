package io.parallelix.node.gpu.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.RunOptions;
import ai.onnxruntime.OrtSession.SessionOptions;
import io.parallelix.node.gpu.testing.TestModels;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Which ONNX Runtime CPU memory setting gives memory back after a large MiniLM run, and what each
 * costs per request (docs/engine.md, "Memory"). Raw ORT, one intra-op thread, so that only the
 * setting differs. Modes: {@code arena} (ORT's default), {@code shrink} (the arena plus the run
 * option memory.enable_memory_arena_shrinkage=cpu:0), {@code noarena}
 * (SessionOptions.setCPUArenaAllocator(false)).
 *
 * <p>{@code rss MODE}: VmRSS after warm-up, after one [16,512] run, after small runs, after more
 * large runs; one JVM per mode. {@code cost}: the three modes' sessions side by side in one JVM,
 * rounds interleaved, median thread CPU time per small run (CPU time, so that other load on a
 * shared machine counts less): {@code cost 8} and {@code cost 64} MiniLM tokens, {@code cost add}
 * the generated add model (microseconds per run, where a per-run overhead would show). Run with {@code java -Xms256m -Xmx256m -XX:+AlwaysPreTouch
 * --enable-native-access=ALL-UNNAMED -cp <node-gpu test class path>
 * io.parallelix.node.gpu.bench.ArenaProbe rss arena}.
 */
public final class ArenaProbe {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final List<String> MODES = List.of("arena", "shrink", "noarena");

    private ArenaProbe() {}

    public static void main(String[] args) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Path model = Files.createTempFile("minilm", ".onnx");
        try (InputStream in =
                Objects.requireNonNull(ArenaProbe.class.getResourceAsStream("/all-minilm-l6-v2.onnx"), "MiniLM")) {
            Files.copy(in, model, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        Path add = Files.createTempDirectory("add");
        try {
            if (args[0].equals("rss")) {
                rss(env, model, args[1]);
            } else if (args[1].equals("add")) {
                TestModels.writeAdd(add);
                cost(env, add.resolve(TestModels.ADD).resolve("model.onnx"), 0, 2000);
            } else {
                cost(env, model, Integer.parseInt(args[1]), 50);
            }
        } finally {
            Files.delete(model);
            try (Stream<Path> files = Files.walk(add)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static void rss(OrtEnvironment env, Path model, String mode) throws Exception {
        try (OrtSession s = session(env, model, mode)) {
            for (int i = 0; i < 30; i++) {
                run(env, s, mode, 1, 8);
            }
            long warm = rss();
            long cpu = THREADS.getCurrentThreadCpuTime();
            run(env, s, mode, 16, 512);
            double bigMs = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6;
            long afterBig = rss();
            long peak = status("VmHWM");
            for (int i = 0; i < 100; i++) {
                run(env, s, mode, 1, 8);
            }
            long afterSmall = rss();
            run(env, s, mode, 16, 512);
            run(env, s, mode, 8, 512);
            run(env, s, mode, 16, 256);
            for (int i = 0; i < 50; i++) {
                run(env, s, mode, 1, 8);
            }
            long afterMore = rss();
            System.out.printf(
                    "%-8s VmRSS MiB: warm %d, after one [16,512] %d (%+d), after 100 small %d (%+d),"
                            + " after 3 more large + 50 small %d (%+d); [16,512] took %.0f ms CPU, VmHWM %d%n",
                    mode,
                    warm >> 20,
                    afterBig >> 20,
                    (afterBig - warm) >> 20,
                    afterSmall >> 20,
                    (afterSmall - warm) >> 20,
                    afterMore >> 20,
                    (afterMore - warm) >> 20,
                    bigMs,
                    peak >> 20);
        }
    }

    /** tokens 0: the generated "add" model, inputs a and b FP32 [1, 4]. */
    private static void cost(OrtEnvironment env, Path model, int tokens, int runs) throws OrtException {
        List<OrtSession> sessions = new ArrayList<>();
        try {
            for (String mode : MODES) {
                sessions.add(session(env, model, mode));
            }
            List<List<Double>> perRun = new ArrayList<>();
            MODES.forEach(m -> perRun.add(new ArrayList<>()));
            int rounds = 12;
            for (int round = 0; round < rounds; round++) {
                for (int m = 0; m < MODES.size(); m++) {
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    for (int i = 0; i < runs; i++) {
                        run(env, sessions.get(m), MODES.get(m), 1, tokens);
                    }
                    if (round > 1) { // the first two rounds warm up
                        perRun.get(m).add((THREADS.getCurrentThreadCpuTime() - cpu) / 1e6 / runs);
                    }
                }
            }
            for (int m = 0; m < MODES.size(); m++) {
                List<Double> v = perRun.get(m);
                Collections.sort(v);
                System.out.printf(
                        "%-8s %s median %.4f ms CPU per run (min %.4f, max %.4f; %d rounds of %d)%n",
                        MODES.get(m),
                        tokens == 0 ? "add [1,4]" : "MiniLM [1," + tokens + "]",
                        v.get(v.size() / 2),
                        v.get(0),
                        v.get(v.size() - 1),
                        v.size(),
                        runs);
            }
        } finally {
            for (OrtSession s : sessions) {
                s.close();
            }
        }
    }

    private static OrtSession session(OrtEnvironment env, Path model, String mode) throws OrtException {
        try (SessionOptions options = new SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            if (mode.equals("noarena")) {
                options.setCPUArenaAllocator(false);
            }
            return env.createSession(model.toString(), options);
        }
    }

    private static void run(OrtEnvironment env, OrtSession session, String mode, int batch, int tokens)
            throws OrtException {
        if (tokens == 0) {
            runAdd(env, session, mode);
            return;
        }
        long[] ids = new long[batch * tokens];
        Arrays.fill(ids, 2088);
        long[] ones = new long[ids.length];
        Arrays.fill(ones, 1);
        long[] shape = {batch, tokens};
        try (OnnxTensor i = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
                OnnxTensor m = OnnxTensor.createTensor(env, LongBuffer.wrap(ones), shape);
                OnnxTensor t = OnnxTensor.createTensor(env, LongBuffer.wrap(new long[ids.length]), shape);
                RunOptions options = runOptions(mode)) {
            try (OrtSession.Result r =
                    session.run(Map.of("input_ids", i, "attention_mask", m, "token_type_ids", t), options)) {
                if (r.size() != 1) {
                    throw new IllegalStateException("MiniLM has one output");
                }
            }
        }
    }

    private static void runAdd(OrtEnvironment env, OrtSession session, String mode) throws OrtException {
        FloatBuffer x = FloatBuffer.wrap(new float[] {1, 2, 3, 4});
        long[] shape = {1, 4};
        try (OnnxTensor a = OnnxTensor.createTensor(env, x, shape);
                OnnxTensor b = OnnxTensor.createTensor(env, x, shape);
                RunOptions options = runOptions(mode);
                OrtSession.Result r = session.run(Map.of("a", a, "b", b), options)) {
            if (r.size() != 1) {
                throw new IllegalStateException("add has one output");
            }
        }
    }

    /** shrink: what ModelRunner sets on every run (the shrinkage entry, and ORT's run log off). */
    private static RunOptions runOptions(String mode) throws OrtException {
        RunOptions options = new RunOptions();
        if (mode.equals("shrink")) {
            options.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
            options.setLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
        }
        return options;
    }

    /** VmRSS after a GC (which also frees the direct buffers the tensors were copied into). */
    private static long rss() throws IOException {
        System.gc();
        return status("VmRSS");
    }

    private static long status(String key) throws IOException {
        Matcher m = Pattern.compile("(?m)^" + key + ":\\s+(\\d+) kB")
                .matcher(Files.readString(Path.of("/proc/self/status")));
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in /proc/self/status");
        }
        return Long.parseLong(m.group(1)) * 1024;
    }
}
