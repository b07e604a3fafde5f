package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.gpu.testing.TestModels;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DecodeRun.teacherForce: the logits of every position, whatever the chunk size, are those of a
 * prefill followed by one step per token (the decode loop's), and positions before {@code from}
 * are not handed out. Also the verifier's chunk size for a vocabulary.
 */
class DecodeRunTeacherForceTest {
    @TempDir
    static Path models;

    private static InferenceEngine engine;

    @BeforeAll
    static void open() throws Exception {
        TestDecoders.writeLlama(models);
        TestDecoders.write(models, TestDecoders.gpt2(TestDecoders.GPT2).withKvFp16(true));
        engine = InferenceEngine.open(TestModels.cpuConfig(models));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static List<float[]> forced(String name, int[] ids, int from, int chunk) throws Exception {
        LoadedModel model = engine.loaded(name).orElseThrow();
        List<float[]> rows = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(60);
        try (InstancePool.Lease lease = model.pool().lease(Clock.systemUTC(), deadline);
                DecodeRun run = model.generator().decodeRun(model, lease.instance())) {
            run.teacherForce(ids, from, chunk, deadline, (p, logits) -> {
                positions.add(p);
                rows.add(logits.clone());
            });
        }
        List<Integer> expected = new ArrayList<>();
        for (int p = from; p < ids.length; p++) {
            expected.add(p);
        }
        assertThat(positions).isEqualTo(expected);
        return rows;
    }

    private static List<float[]> stepped(String name, int[] ids, int prompt) throws Exception {
        LoadedModel model = engine.loaded(name).orElseThrow();
        List<float[]> rows = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(60);
        try (InstancePool.Lease lease = model.pool().lease(Clock.systemUTC(), deadline);
                DecodeRun run = model.generator().decodeRun(model, lease.instance())) {
            rows.add(run.prefill(java.util.Arrays.copyOf(ids, prompt), deadline).clone());
            for (int p = prompt; p < ids.length; p++) {
                rows.add(run.step(ids[p], deadline).clone());
            }
        }
        return rows;
    }

    @Test
    void teacherForce_anyChunkSize_givesTheDecodeLoopsLogits_fromThePromptsLastPosition() throws Exception {
        int[] ids = new int[40];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = (i * 37 + 11) % 256;
        }
        int prompt = 9;
        for (String name : List.of(TestDecoders.LLAMA, TestDecoders.GPT2)) {
            List<float[]> loop = stepped(name, ids, prompt);
            for (int chunk : new int[] {1, 5, 16, 512}) {
                List<float[]> rows = forced(name, ids, prompt - 1, chunk);
                assertThat(rows).hasSize(loop.size());
                for (int r = 0; r < rows.size(); r++) {
                    float[] want = loop.get(r);
                    float[] got = rows.get(r);
                    for (int v = 0; v < want.length; v++) {
                        assertThat(Math.abs(got[v] - want[v]))
                                .as("%s chunk %d row %d id %d", name, chunk, r, v)
                                .isLessThan(1e-3f);
                    }
                }
            }
        }
    }

    @Test
    void chunk_keepsOneRunsLogitsWithinTheBound() {
        assertThat(GenerationVerifier.chunk(384)).isEqualTo(GenerationVerifier.MAX_CHUNK);
        assertThat(GenerationVerifier.chunk(32_000)).isEqualTo(262);
        assertThat(GenerationVerifier.chunk(128_256)).isEqualTo(65);
        assertThat(GenerationVerifier.chunk(100_000_000)).isEqualTo(1);
        assertThat((long) GenerationVerifier.chunk(128_256) * 128_256 * Float.BYTES)
                .isLessThanOrEqualTo(GenerationVerifier.CHUNK_BYTES);
    }
}
