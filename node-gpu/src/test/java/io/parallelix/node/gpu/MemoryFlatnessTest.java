package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of inferences must not grow resident memory: every OnnxTensor, Result and RunOptions
 * is closed. VmRSS comes from /proc/self/status; the test JVM's heap is fixed and pre-touched
 * (node-gpu/pom.xml), so what moves is native memory. A leak only ever adds up, so the test
 * compares the lowest of the last samples with the highest warm-up sample; leaking every run's ORT
 * Result (16 KB of output per add run, 100 KB per MiniLM run) fails it by far (checked by hand).
 */
class MemoryFlatnessTest {
    private static final int ROUNDS = 5;
    private static final int ADD_PER_ROUND = 2_000;
    private static final int MINILM_PER_ROUND = 60;
    private static final long BOUND_BYTES = 64L << 20;

    @TempDir
    Path models;

    @Test
    void infer_thousandsOfRuns_residentMemoryFlat() throws Exception {
        TestModels.writeAdd(models);
        MiniLm.write(models);
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            InferenceRequest add = InferenceEngineTest.addRequest(new float[1024 * 4]);
            InferenceRequest minilm = MiniLm.sentence(64);
            List<Long> warmup = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                run(engine, add, ADD_PER_ROUND);
                run(engine, minilm, MINILM_PER_ROUND);
                warmup.add(sample());
            }
            List<Long> samples = new ArrayList<>();
            long addNanos = 0;
            long minilmNanos = 0;
            for (int round = 0; round < ROUNDS; round++) {
                addNanos += run(engine, add, ADD_PER_ROUND);
                minilmNanos += run(engine, minilm, MINILM_PER_ROUND);
                samples.add(sample());
            }

            long before = Collections.max(warmup);
            long after = Collections.min(samples.subList(ROUNDS - 3, ROUNDS));
            System.out.printf(
                    "memory flatness: VmRSS MiB warm-up %s, then after each round of %d add + %d MiniLM"
                            + " runs %s; growth %+.1f MiB (lowest of last 3 minus highest warm-up);"
                            + " add(1024x4) %.1f us/run, MiniLM(64 tokens) %.2f ms/run%n",
                    mibs(warmup),
                    ADD_PER_ROUND,
                    MINILM_PER_ROUND,
                    mibs(samples),
                    (after - before) / 1048576.0,
                    addNanos / 1e3 / (ROUNDS * ADD_PER_ROUND),
                    minilmNanos / 1e6 / (ROUNDS * MINILM_PER_ROUND));
            assertThat(after - before).isLessThan(BOUND_BYTES);
        }
    }

    /**
     * A fresh deadline per run: the whole test takes over 30 s on a loaded machine, longer than the
     * deadline the shared request was built with.
     */
    private static long run(InferenceEngine engine, InferenceRequest request, int times) throws InferenceException {
        long start = System.nanoTime();
        for (int i = 0; i < times; i++) {
            engine.infer(new InferenceRequest(
                    request.requestId(),
                    request.model(),
                    request.inputs(),
                    request.outputs(),
                    Instant.now().plusSeconds(30)));
        }
        return System.nanoTime() - start;
    }

    /** RSS after a GC, which also frees the direct buffers made for heap inputs. */
    static long sample() throws IOException {
        System.gc();
        Matcher m = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/self/status")));
        assertThat(m.find()).as("VmRSS in /proc/self/status").isTrue();
        return Long.parseLong(m.group(1)) * 1024;
    }

    private static String mibs(List<Long> bytes) {
        return bytes.stream()
                .map(b -> String.format("%.0f", b / 1048576.0))
                .toList()
                .toString();
    }
}
