package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.gpu.InferenceException.DeadlineExceeded;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.gpu.testing.TestTensors;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded concurrency per session instance, waits bounded by the deadline, and the engine clock. */
class ConcurrencyTest {
    @TempDir
    Path models;

    @Test
    void infer_sessionBusy_waitsUntilTheDeadlineThenGivesUp() throws Exception {
        TestModels.writeSlow(models);
        EngineConfig config = new EngineConfig(models, ProviderMode.CPU, CudaOptions.defaults(), false, 1, 0, 1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (InferenceEngine engine = InferenceEngine.open(config)) {
            // Runs until its deadline terminates it, holding the only permit meanwhile.
            Future<?> busy = pool.submit(
                    () -> engine.infer(slow(Long.MAX_VALUE, Instant.now().plusSeconds(2))));
            SessionInstance only =
                    engine.loaded("slow").orElseThrow().pool().instances().get(0);
            while (only.availablePermits() > 0) {
                Thread.sleep(1);
            }

            assertThatThrownBy(() -> engine.infer(slow(1, Instant.now().plusMillis(100))))
                    .isInstanceOf(DeadlineExceeded.class)
                    .hasMessageContaining("waiting for a free session of model 'slow'");
            assertThat(InferenceEngineTest.inFlight(engine, "slow")).isEqualTo(1);
            assertThatThrownBy(busy::get).hasCauseInstanceOf(DeadlineExceeded.class);
            assertThat(InferenceEngineTest.inFlight(engine, "slow")).isZero();
            assertThat(engine.infer(slow(3, Instant.now().plusSeconds(10))).safetensors())
                    .isNotEmpty();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void open_concurrencyZero_sizesEachCpuSessionToTheCores() throws Exception {
        Path add = TestModels.writeAdd(models);
        TestModels.writeConfig(copy(add, "pinned"), "max_concurrency: 5\n");
        TestModels.writeConfig(copy(add, "threaded"), "intra_op_threads: 2\n");
        EngineDependencies sixCores = new EngineDependencies(
                CudaRegistrar.ORT, () -> EngineProvidersTest.NO_GPU, Path.of("/proc/cpuinfo"), 6);
        EngineConfig auto = new EngineConfig(models, ProviderMode.CPU, CudaOptions.defaults(), true, 0, 0, 0);
        try (InferenceEngine engine = InferenceEngine.open(auto, Clock.systemUTC(), sixCores)) {
            assertThat(permits(engine, "add"))
                    .as("deterministic: 1 intra-op thread, a run per core")
                    .isEqualTo(6);
            assertThat(permits(engine, "threaded"))
                    .as("2 intra-op threads: cores / 2")
                    .isEqualTo(3);
            assertThat(permits(engine, "pinned"))
                    .as("the model's max_concurrency wins")
                    .isEqualTo(5);
            assertThat(engine.infer(InferenceEngineTest.addRequest(1, 2, 3, 4)).safetensors())
                    .isNotEmpty();
        }
        EngineConfig ortThreads = new EngineConfig(models, ProviderMode.CPU, CudaOptions.defaults(), false, 0, 0, 0);
        try (InferenceEngine engine = InferenceEngine.open(ortThreads, Clock.systemUTC(), sixCores)) {
            assertThat(permits(engine, "add"))
                    .as("ORT's own threads fill the cores: one run")
                    .isEqualTo(1);
        }
        EngineConfig fixed = new EngineConfig(models, ProviderMode.CPU, CudaOptions.defaults(), true, 0, 0, 2);
        try (InferenceEngine engine = InferenceEngine.open(fixed, Clock.systemUTC(), sixCores)) {
            assertThat(permits(engine, "add"))
                    .as("the node's setting, when not 0")
                    .isEqualTo(2);
            assertThat(permits(engine, "pinned")).isEqualTo(5);
        }
    }

    private static Path copy(Path modelDir, String name) throws java.io.IOException {
        Path dir = java.nio.file.Files.createDirectories(modelDir.resolveSibling(name));
        java.nio.file.Files.copy(modelDir.resolve("model.onnx"), dir.resolve("model.onnx"));
        return dir;
    }

    private static int permits(InferenceEngine engine, String model) {
        return engine.loaded(model).orElseThrow().pool().instances().get(0).availablePermits();
    }

    @Test
    void infer_deadlineAlreadyPassedOnTheEngineClock_deadlineExceeded() throws Exception {
        TestModels.writeAdd(models);
        Instant now = Instant.parse("2030-01-01T00:00:00Z");
        Clock fixed = Clock.fixed(now, ZoneOffset.UTC);
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models), fixed)) {
            InferenceRequest late = new InferenceRequest(
                    "r", "add", InferenceEngineTest.addRequest(1, 2, 3, 4).inputs(), List.of(), now.minusMillis(1));
            InferenceRequest onTime = new InferenceRequest("r", "add", late.inputs(), List.of(), now.plusSeconds(5));

            assertThatThrownBy(() -> engine.infer(late)).isInstanceOf(DeadlineExceeded.class);
            assertThat(engine.infer(onTime).safetensors()).isNotEmpty();
        }
    }

    @Test
    void infer_manyThreadsOnTwoInstances_allAnsweredIdentically() throws Exception {
        Path dir = TestModels.writeAdd(models);
        TestModels.writeConfig(dir, "instances: 2\nmax_concurrency: 2\n");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models))) {
            byte[] expected =
                    engine.infer(InferenceEngineTest.addRequest(1, 2, 3, 4)).safetensors();
            List<CompletableFuture<byte[]>> results = java.util.stream.IntStream.range(0, 200)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> {
                                try {
                                    return engine.infer(InferenceEngineTest.addRequest(1, 2, 3, 4))
                                            .safetensors();
                                } catch (InferenceException e) {
                                    throw new IllegalStateException(e);
                                }
                            },
                            pool))
                    .toList();

            for (CompletableFuture<byte[]> r : results) {
                assertThat(r.get()).isEqualTo(expected);
            }
            assertThat(InferenceEngineTest.inFlight(engine, "add")).isZero();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void infer_afterClose_refused() throws Exception {
        TestModels.writeAdd(models);
        InferenceEngine engine = InferenceEngine.open(TestModels.cpuConfig(models));
        engine.close();
        engine.close();

        assertThatThrownBy(() -> engine.infer(InferenceEngineTest.addRequest(1, 2, 3, 4)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("closed");
    }

    private static InferenceRequest slow(long iterations, Instant deadline) {
        return new InferenceRequest(
                "r", "slow", List.of(TestTensors.int64("iterations", List.of(), iterations)), List.of(), deadline);
    }
}
