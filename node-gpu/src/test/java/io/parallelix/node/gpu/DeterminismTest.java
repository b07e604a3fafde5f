package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU measurement behind docs/engine.md: MiniLM and a generated two-layer MLP give the same
 * bytes on every repeat, with one intra-op thread or two, and with four callers running on one
 * session at once (what max_concurrency_per_instance 0 does on a multi-core host). (It holds for ONNX Runtime 1.29's
 * CPU kernels on one machine; other CPUs, ORT versions and GPUs are another matter.)
 */
class DeterminismTest {
    private static final int REPEATS = 5;

    @TempDir
    Path models;

    @Test
    void infer_repeatsAndThreadCounts_bitwiseIdentical() throws Exception {
        MiniLm.write(models);
        DeterminismProbe.writeMlp(models, 42);
        List<InferenceRequest> requests = List.of(
                MiniLm.sentence(8),
                MiniLm.sentence(128),
                DeterminismProbe.mlpRequest(1, 1),
                DeterminismProbe.mlpRequest(64, 2));

        List<byte[]> oneThread = results(1, requests);
        List<byte[]> twoThreads = results(2, requests);

        for (int r = 0; r < requests.size(); r++) {
            assertThat(twoThreads.get(r))
                    .as("request %d, 1 vs 2 intra-op threads", r)
                    .isEqualTo(oneThread.get(r));
        }
    }

    @Test
    void infer_concurrentRunsOnOneSession_bitwiseIdenticalToOneAtATime() throws Exception {
        MiniLm.write(models);
        DeterminismProbe.writeMlp(models, 42);
        List<InferenceRequest> requests = List.of(MiniLm.sentence(128), DeterminismProbe.mlpRequest(64, 2));
        List<byte[]> alone = results(1, requests);
        EngineConfig four = new EngineConfig(models, ProviderMode.CPU, CudaOptions.defaults(), true, 1, 0, 4);
        java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
        try (InferenceEngine engine = InferenceEngine.open(four)) {
            for (int r = 0; r < requests.size(); r++) {
                InferenceRequest request = requests.get(r);
                List<java.util.concurrent.Future<byte[]>> runs = new ArrayList<>();
                for (int i = 0; i < 4 * REPEATS; i++) {
                    runs.add(callers.submit(() -> engine.infer(request).safetensors()));
                }
                for (java.util.concurrent.Future<byte[]> run : runs) {
                    assertThat(run.get()).as("request %d, 4 callers at once", r).isEqualTo(alone.get(r));
                }
            }
        } finally {
            callers.shutdownNow();
        }
    }

    /** Each request's result, after checking that REPEATS runs give the same bytes. */
    private List<byte[]> results(int intraOpThreads, List<InferenceRequest> requests) throws Exception {
        EngineConfig config =
                new EngineConfig(models, ProviderMode.CPU, CudaOptions.defaults(), true, intraOpThreads, 0, 1);
        List<byte[]> out = new ArrayList<>();
        try (InferenceEngine engine = InferenceEngine.open(config)) {
            for (InferenceRequest request : requests) {
                byte[] first = engine.infer(request).safetensors();
                for (int i = 1; i < REPEATS; i++) {
                    assertThat(engine.infer(request).safetensors())
                            .as("%s repeat %d with %d intra-op threads", request.model(), i, intraOpThreads)
                            .isEqualTo(first);
                }
                out.add(first);
            }
        }
        return out;
    }
}
