package io.parallelix.node.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.chat.ChatMessage;
import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.NumpyReference;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.testing.NpmRefs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's decode loop end to end on the generated GPT-2 and Llama decoders (CPU, one thread):
 * greedy tokens against the numpy no-cache reference, the listener's pieces against the result,
 * stop strings, EOS, max_tokens and the context, seeded sampling, n, the limits by field, and that
 * a failing listener or a deadline leaves no session or sequence slot behind.
 */
class GenerationEngineTest {
    private static final int[] PROMPT = {72, 101, 108, 108, 111, 32, 119, 111};

    @TempDir
    static Path models;

    private static InferenceEngine engine;

    @BeforeAll
    static void open() throws Exception {
        TestDecoders.write(models, TestDecoders.gpt2(TestDecoders.GPT2));
        TestDecoders.write(models, TestDecoders.llama(TestDecoders.LLAMA));
        TestDecoders.write(
                models, TestDecoders.llama("llama-fp16").withKvFp16(true).withSeed(5));
        TestDecoders.write(
                models,
                TestDecoders.llama("llama-onnx-dir")
                        .withModelPath("onnx/model.onnx")
                        .withExternalData(true)
                        .withSeed(9));
        engine = InferenceEngine.open(TestModels.cpuConfig(models));
    }

    @AfterAll
    static void close() {
        engine.close();
    }

    private static GenerationRequest greedy(String model, GenerationInput input, int maxTokens) {
        return new GenerationRequest(
                "req-1",
                model,
                input,
                SamplingParams.defaults(0).withTemperature(0),
                maxTokens,
                1,
                List.of(),
                Instant.now().plusSeconds(60));
    }

    @Test
    void generationModels_areFoundByTheirCacheInputs_withContextAndEosFromTheirFiles() {
        ModelInfo llama = engine.model(TestDecoders.LLAMA).orElseThrow();
        DecoderSpec spec = TestDecoders.llama(TestDecoders.LLAMA);
        assertThat(llama.task()).isEqualTo(ModelTask.GENERATION);
        assertThat(llama.ready()).isTrue();
        GenerationInfo g = llama.generation();
        assertThat(g).isNotNull();
        assertThat(g.contextLength()).isEqualTo(spec.maxPositions());
        assertThat(g.maxNewTokens()).isEqualTo(spec.maxPositions() - 1);
        assertThat(g.vocabSize()).isEqualTo(spec.vocabSize());
        assertThat(g.eosTokenIds()).isEqualTo(spec.eosTokenIds()); // generation_config.json's list, not config.json's
        assertThat(g.chatTemplate()).isTrue();
        assertThat(g.maxSequences()).isEqualTo(4); // cpuConfig: 1 instance x 4 concurrent runs
        assertThat(engine.model(TestDecoders.GPT2).orElseThrow().generation().eosTokenIds())
                .containsExactly(TestDecoders.gpt2(TestDecoders.GPT2).bosTokenId());
    }

    @Test
    void greedyTokens_matchTheNoCacheNumpyReference_forBothArchitecturesAndAnFp16Cache() throws Exception {
        for (String model : List.of(TestDecoders.GPT2, TestDecoders.LLAMA, "llama-fp16")) {
            int steps = 16;
            int[] expected = NumpyReference.greedy(
                            models.resolve(model), steps, model.equals("llama-fp16"), List.of(PROMPT))
                    .get(0)
                    .tokens();
            GenerationResult r =
                    engine.generate(greedy(model, new GenerationInput.Tokens(PROMPT), steps), GenerationListener.NONE);
            int[] ours = r.choices().get(0).tokenIds();
            System.out.printf(
                    "GenerationEngineTest %s greedy %s (reference %s)%n",
                    model, Arrays.toString(ours), Arrays.toString(expected));
            // The reference ignores end-of-sequence ids; we stop on one, so ours is a prefix ending there.
            assertThat(ours).isEqualTo(Arrays.copyOf(expected, ours.length));
            int eos =
                    engine.model(model).orElseThrow().generation().eosTokenIds().contains(ours[ours.length - 1])
                            ? 1
                            : 0;
            assertThat(ours.length == steps || eos == 1).isTrue();
            assertThat(r.promptIds()).isEqualTo(PROMPT);
            assertThat(r.modelSha256())
                    .isEqualTo(engine.model(model).orElseThrow().sha256());
        }
    }

    /** transformers.js loads each directory itself and runs its own greedy generate (stopping at EOS, as we do). */
    @Test
    void greedyTokens_equalTransformersJsGenerate_onTheSameDirectories() throws Exception {
        List<String> names = List.of(TestDecoders.GPT2, TestDecoders.LLAMA, "llama-fp16", "llama-onnx-dir");
        int steps = 20;
        for (String model : names) {
            JsonNode theirs = new ObjectMapper()
                    .readTree(NpmRefs.node(
                                    "generate_reference.mjs",
                                    models.toString(),
                                    model,
                                    Integer.toString(steps),
                                    Arrays.stream(PROMPT)
                                            .mapToObj(Integer::toString)
                                            .collect(Collectors.joining(",")))
                            .withTimeout(Duration.ofMinutes(3))
                            .run()
                            .requireSuccess()
                            .stdout())
                    .path("results")
                    .get(0)
                    .path("tokens");
            int[] expected = new int[theirs.size()];
            Arrays.setAll(expected, i -> theirs.get(i).asInt());
            int[] ours = engine.generate(
                            greedy(model, new GenerationInput.Tokens(PROMPT), steps), GenerationListener.NONE)
                    .choices()
                    .get(0)
                    .tokenIds();
            assertThat(ours).as(model).isEqualTo(expected);
        }
    }

    @Test
    void listenerPieces_concatenateToTheChoiceText_whichIsTheDecodedOutput() throws Exception {
        List<GeneratedToken> seen = new ArrayList<>();
        int[][] started = new int[1][];
        GenerationListener listener = new GenerationListener() {
            @Override
            public void started(int[] promptIds, String modelSha256) {
                started[0] = promptIds;
            }

            @Override
            public void token(GeneratedToken token) {
                seen.add(token);
            }
        };
        GenerationResult r = engine.generate(
                greedy(TestDecoders.LLAMA, new GenerationInput.Text("Hello world, the day"), 12), listener);
        GenerationResult.Choice c = r.choices().get(0);
        assertThat(started[0]).isEqualTo(r.promptIds());
        assertThat(r.promptIds()[0])
                .isEqualTo(TestDecoders.llama(TestDecoders.LLAMA).bosTokenId()); // BOS added
        assertThat(seen).hasSize(c.tokenIds().length);
        assertThat(seen.stream().mapToInt(GeneratedToken::id).toArray()).isEqualTo(c.tokenIds());
        assertThat(String.join("", seen.stream().map(GeneratedToken::text).toList()))
                .isEqualTo(c.text());
        assertThat(seen.subList(0, seen.size() - 1)).allMatch(t -> t.finish() == null);
        assertThat(seen.get(seen.size() - 1).finish()).isEqualTo(c.finish());
        Generator g = engine.loaded(TestDecoders.LLAMA).orElseThrow().generator();
        int[] text = Arrays.stream(c.tokenIds())
                .filter(id -> !engine.model(TestDecoders.LLAMA)
                        .orElseThrow()
                        .generation()
                        .eosTokenIds()
                        .contains(id))
                .toArray();
        assertThat(c.text()).isEqualTo(decode(g, text));
        assertThat(r.completionTokens()).isEqualTo(c.tokenIds().length);
    }

    private static String decode(Generator g, int[] ids) throws Exception {
        var f = Generator.class.getDeclaredField("tokenizer");
        f.setAccessible(true);
        return ((io.parallelix.node.gpu.text.Tokenizer) f.get(g)).decode(ids, true);
    }

    @Test
    void maxTokens_endsWithLength_andAStopStringEndsBeforeItself() throws Exception {
        GenerationResult plain = engine.generate(
                greedy(TestDecoders.GPT2, new GenerationInput.Text("Hello world"), 10), GenerationListener.NONE);
        GenerationResult.Choice c = plain.choices().get(0);
        assertThat(c.tokenIds()).hasSize(10);
        assertThat(c.finish()).isEqualTo(FinishReason.LENGTH);
        assertThat(c.text().length()).isGreaterThan(4);
        String stop = c.text().substring(2, 4);
        GenerationRequest withStop = new GenerationRequest(
                "req-1",
                TestDecoders.GPT2,
                new GenerationInput.Text("Hello world"),
                SamplingParams.defaults(0).withTemperature(0),
                10,
                1,
                List.of(stop),
                Instant.now().plusSeconds(60));
        GenerationResult.Choice s =
                engine.generate(withStop, GenerationListener.NONE).choices().get(0);
        assertThat(s.finish()).isEqualTo(FinishReason.STOP);
        assertThat(s.text()).isEqualTo(c.text().substring(0, c.text().indexOf(stop)));
        assertThat(s.tokenIds()).isEqualTo(Arrays.copyOf(c.tokenIds(), s.tokenIds().length));
    }

    @Test
    void seededSampling_repeats_nChoicesDiffer_andOneVsTwoThreadsAgree() throws Exception {
        SamplingParams p = SamplingParams.defaults(42).withTemperature(1.0).withTruncation(0, 0.95, 0);
        GenerationRequest r = new GenerationRequest(
                "req-2",
                TestDecoders.LLAMA,
                new GenerationInput.Tokens(PROMPT),
                p,
                24,
                3,
                List.of(),
                Instant.now().plusSeconds(60));
        GenerationResult a = engine.generate(r, GenerationListener.NONE);
        GenerationResult b = engine.generate(r, GenerationListener.NONE);
        assertThat(a.choices()).hasSize(3);
        for (int i = 0; i < 3; i++) {
            assertThat(a.choices().get(i).tokenIds())
                    .isEqualTo(b.choices().get(i).tokenIds());
            assertThat(a.choices().get(i).index()).isEqualTo(i);
        }
        assertThat(a.choices().get(0).tokenIds())
                .isNotEqualTo(a.choices().get(1).tokenIds());
        Path two = Files.createDirectories(models.getParent().resolve(models.getFileName() + "-threads"));
        TestDecoders.write(two, TestDecoders.llama(TestDecoders.LLAMA));
        EngineConfig config = new EngineConfig(two, ProviderMode.CPU, CudaOptions.defaults(), false, 2, 0, 4);
        try (InferenceEngine twoThreads = InferenceEngine.open(config)) {
            GenerationResult c = twoThreads.generate(r, GenerationListener.NONE);
            for (int i = 0; i < 3; i++) {
                assertThat(c.choices().get(i).tokenIds())
                        .isEqualTo(a.choices().get(i).tokenIds());
            }
            GenerationRequest g = greedy(TestDecoders.LLAMA, new GenerationInput.Tokens(PROMPT), 24);
            assertThat(twoThreads
                            .generate(g, GenerationListener.NONE)
                            .choices()
                            .get(0)
                            .tokenIds())
                    .isEqualTo(engine.generate(g, GenerationListener.NONE)
                            .choices()
                            .get(0)
                            .tokenIds());
        }
    }

    @Test
    void logprobs_comeWithTokenTexts() throws Exception {
        SamplingParams p = SamplingParams.defaults(0).withTemperature(0).withLogprobs(3);
        GenerationRequest r = new GenerationRequest(
                "req-3",
                TestDecoders.GPT2,
                new GenerationInput.Text("Hello"),
                p,
                4,
                1,
                List.of(),
                Instant.now().plusSeconds(60));
        GenerationResult.Choice c =
                engine.generate(r, GenerationListener.NONE).choices().get(0);
        assertThat(c.logprobs()).hasSize(c.tokenIds().length);
        TokenLogprobs first = c.logprobs().get(0);
        assertThat(first.id()).isEqualTo(c.tokenIds()[0]);
        assertThat(first.top()).hasSize(3);
        assertThat(first.top().get(0).id()).isEqualTo(first.id()); // greedy: the top one
        assertThat(first.logprob())
                .isLessThanOrEqualTo(0)
                .isEqualTo(first.top().get(0).logprob());
    }

    @Test
    void chat_rendersTheTemplate_andEncodesWithoutAddingSpecialTokens() throws Exception {
        GenerationResult r = engine.generate(
                greedy(TestDecoders.LLAMA, new GenerationInput.Chat(List.of(ChatMessage.user("Hello"))), 6),
                GenerationListener.NONE);
        DecoderSpec spec = TestDecoders.llama(TestDecoders.LLAMA);
        assertThat(r.promptIds()[0]).isEqualTo(spec.bosTokenId());
        assertThat(r.promptIds()[1]).isNotEqualTo(spec.bosTokenId()); // the template's BOS only, none added twice
        assertThat(r.promptIds()[r.promptIds().length - 1]).isEqualTo(10); // "\n\n" ends the header: byte ids
    }

    @Test
    void limits_areRefusedByField() {
        int context = TestDecoders.llama(TestDecoders.LLAMA).maxPositions();
        int[] tooLong = new int[context];
        Arrays.fill(tooLong, 65);
        assertThatThrownBy(() -> engine.generate(
                        greedy(TestDecoders.LLAMA, new GenerationInput.Tokens(tooLong), 1), GenerationListener.NONE))
                .isInstanceOfSatisfying(InferenceException.InvalidInput.class, e -> {
                    assertThat(e.field()).isEqualTo("prompt");
                    assertThat(e.getMessage()).contains(context + " tokens");
                });
        assertThatThrownBy(() -> engine.generate(
                        greedy(TestDecoders.LLAMA, new GenerationInput.Tokens(PROMPT), context),
                        GenerationListener.NONE))
                .isInstanceOfSatisfying(
                        InferenceException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("max_tokens"));
        assertThatThrownBy(() -> engine.generate(
                        greedy(TestDecoders.LLAMA, new GenerationInput.Tokens(new int[] {1, 9999}), 1),
                        GenerationListener.NONE))
                .isInstanceOfSatisfying(
                        InferenceException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("prompt[1]"));
        assertThatThrownBy(() -> engine.generate(
                        greedy(TestDecoders.GPT2, new GenerationInput.Text(""), 1), GenerationListener.NONE))
                .isInstanceOfSatisfying(
                        InferenceException.InvalidInput.class,
                        e -> assertThat(e.field()).isEqualTo("prompt"));
    }

    @Test
    void anEmptyTextPrompt_isTheBosTokenWhereTheTokenizerAddsOne() throws Exception {
        GenerationResult r =
                engine.generate(greedy(TestDecoders.LLAMA, new GenerationInput.Text(""), 2), GenerationListener.NONE);
        assertThat(r.promptIds())
                .containsExactly(TestDecoders.llama(TestDecoders.LLAMA).bosTokenId());
    }

    @Test
    void theContextCutsMaxTokens_withLength() throws Exception {
        int context = TestDecoders.llama(TestDecoders.LLAMA).maxPositions();
        int[] prompt = new int[context - 3];
        Arrays.fill(prompt, 65);
        GenerationResult.Choice c = engine.generate(
                        greedy(TestDecoders.LLAMA, new GenerationInput.Tokens(prompt), 100), GenerationListener.NONE)
                .choices()
                .get(0);
        assertThat(c.tokenIds().length).isLessThanOrEqualTo(3);
    }

    @Test
    void aListenerThatThrows_orADeadline_endsTheGeneration_andFreesEverything() throws Exception {
        LoadedModel model = engine.loaded(TestDecoders.LLAMA).orElseThrow();
        int[] calls = {0};
        GenerationListener gone = t -> {
            if (++calls[0] == 3) {
                throw new IllegalStateException("the client closed the connection");
            }
        };
        assertThatThrownBy(
                        () -> engine.generate(greedy(TestDecoders.LLAMA, new GenerationInput.Tokens(PROMPT), 50), gone))
                .hasMessageContaining("client closed");
        assertThat(calls[0]).isEqualTo(3);
        GenerationRequest late = new GenerationRequest(
                "req-4",
                TestDecoders.LLAMA,
                new GenerationInput.Tokens(PROMPT),
                SamplingParams.defaults(0),
                50,
                1,
                List.of(),
                Instant.now().minusSeconds(1));
        assertThatThrownBy(() -> engine.generate(late, GenerationListener.NONE))
                .isInstanceOf(InferenceException.DeadlineExceeded.class);
        assertThat(model.pool().inFlight()).isZero();
        assertThat(model.pool().instances().get(0).availablePermits()).isEqualTo(4);
        // still serving
        assertThat(engine.generate(
                                greedy(TestDecoders.LLAMA, new GenerationInput.Tokens(PROMPT), 2),
                                GenerationListener.NONE)
                        .choices())
                .hasSize(1);
    }

    @Test
    void aKvBudgetTooSmall_refusesTheModelWithTheNumbers(@TempDir Path dir) throws Exception {
        Path m = TestDecoders.write(dir, TestDecoders.llama("small-budget"));
        // 2 layers x 2 x 2 kv heads x 16 x 4 bytes = 512 bytes per token; 256 tokens x 4 sequences = 512 KiB
        Files.writeString(
                m.resolve("config.yaml"),
                "generation:\n  kv_cache_mib: 1\n  max_sequences: 16\n",
                StandardCharsets.UTF_8);
        try (InferenceEngine fits = InferenceEngine.open(TestModels.cpuConfig(dir))) {
            assertThat(fits.model("small-budget").orElseThrow().generation().maxSequences())
                    .isEqualTo(4); // bounded by the session permits
        }
        EngineConfig wide = new EngineConfig(dir, ProviderMode.CPU, CudaOptions.defaults(), false, 1, 0, 16);
        Files.writeString(m.resolve("config.yaml"), "generation:\n  kv_cache_mib: 1\n", StandardCharsets.UTF_8);
        try (InferenceEngine sized = InferenceEngine.open(wide)) {
            assertThat(sized.model("small-budget").orElseThrow().generation().maxSequences())
                    .as("unset: 16 permits, as many as 1 MiB holds (8 x 256 tokens x 512 bytes)")
                    .isEqualTo(8);
        }
        Files.writeString(
                m.resolve("config.yaml"),
                "generation:\n  kv_cache_mib: 1\n  max_sequences: 16\n",
                StandardCharsets.UTF_8);
        assertThatThrownBy(() -> InferenceEngine.open(wide).close())
                .isInstanceOf(EngineException.class)
                .hasMessageContaining("16 sequences of 256 tokens need 2 MiB")
                .hasMessageContaining("512 bytes per token")
                .hasMessageContaining("generation.kv_cache_mib");
    }
}
