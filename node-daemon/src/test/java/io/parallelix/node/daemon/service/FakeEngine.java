package io.parallelix.node.daemon.service;

import io.parallelix.node.gpu.EmbeddingInfo;
import io.parallelix.node.gpu.EmbeddingInput;
import io.parallelix.node.gpu.EmbeddingRequest;
import io.parallelix.node.gpu.EmbeddingResult;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.GenerationInfo;
import io.parallelix.node.gpu.GenerationListener;
import io.parallelix.node.gpu.GenerationRequest;
import io.parallelix.node.gpu.GenerationResult;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.InferenceRequest;
import io.parallelix.node.gpu.InferenceResult;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.ModelTask;
import io.parallelix.node.gpu.RuntimeFingerprint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * An engine without ONNX Runtime, for tests of the layers above it. Tensor models answer a run
 * with the request id's bytes as the "result". Embedding models ({@link #embedding}) behave as
 * the real engine's contract says, with deterministic fake vectors ({@link FakeEmbeddings}): text
 * is "tokenized" as CLS + its UTF-8 bytes + SEP; too long is InvalidInput("input[i]") unless
 * truncated; a shorter {@code dimensions} truncates and renormalises. Texts starting with
 * {@code fake:nan}, {@code fake:fail} or {@code fake:sleep:<ms>} make a NaN, a model failure, or
 * a run that sleeps (and meets its deadline). Generation models ({@link #generation}) run
 * {@link FakeGeneration}'s deterministic decode loop.
 */
public final class FakeEngine implements Engine {
    public static final String SHA256 = "ab".repeat(32);

    private final List<ModelInfo> models;
    private final Clock clock = Clock.systemUTC();

    /** Tokens generated so far over every generation, and generations running now: tests watch them to see one stop. */
    public final AtomicInteger generated = new AtomicInteger();

    public final AtomicInteger generating = new AtomicInteger();

    public FakeEngine(String... tensorModels) {
        this(Arrays.stream(tensorModels)
                .map(n -> info(n, ModelTask.TENSOR, null))
                .toList());
    }

    public FakeEngine(List<ModelInfo> models) {
        this.models =
                models.stream().sorted(Comparator.comparing(ModelInfo::name)).toList();
    }

    /** Tensor models by name and embedding models as given. */
    public static FakeEngine of(List<String> tensorModels, List<ModelInfo> embeddingModels) {
        return new FakeEngine(Stream.concat(
                        tensorModels.stream().map(n -> info(n, ModelTask.TENSOR, null)), embeddingModels.stream())
                .toList());
    }

    public static ModelInfo embedding(String name, EmbeddingInfo e) {
        return info(name, ModelTask.EMBEDDING, e);
    }

    /** A generation model: see {@link FakeGeneration} for what it generates. */
    public static ModelInfo generation(String name, GenerationInfo g) {
        return new ModelInfo(
                name,
                SHA256,
                List.of(),
                List.of(),
                "FakeExecutionProvider",
                List.of(),
                1,
                true,
                true,
                ModelTask.GENERATION,
                null,
                g);
    }

    private static ModelInfo info(String name, ModelTask task, @Nullable EmbeddingInfo e) {
        return new ModelInfo(
                name, SHA256, List.of(), List.of(), "FakeExecutionProvider", List.of(), 1, true, true, task, e, null);
    }

    @Override
    public List<ModelInfo> models() {
        return models;
    }

    @Override
    public Optional<ModelInfo> model(String name) {
        return models.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    @Override
    public RuntimeFingerprint fingerprint() {
        return new RuntimeFingerprint("0.0.0-fake", "FakeExecutionProvider", null, null, null, null, true);
    }

    @Override
    public InferenceResult infer(InferenceRequest request) throws InferenceException {
        byte[] result = request.requestId().getBytes(StandardCharsets.UTF_8);
        return new InferenceResult(result, SHA256, "cd".repeat(32), "FakeExecutionProvider", 0, 0, 0, 0);
    }

    @Override
    public EmbeddingResult embed(EmbeddingRequest request) throws InferenceException {
        ModelInfo m = model(request.model()).orElseThrow(() -> new InferenceException.UnknownModel(request.model()));
        EmbeddingInfo e = m.embedding();
        if (m.task() != ModelTask.EMBEDDING || e == null) {
            throw new InferenceException.InvalidInput("model", "model '" + m.name() + "' is not an embedding model");
        }
        List<float[]> vectors = new ArrayList<>();
        int[] counts = new int[request.inputs().size()];
        StringBuilder ran = new StringBuilder();
        for (int i = 0; i < counts.length; i++) {
            EmbeddingInput in = request.inputs().get(i);
            hooks(in, request);
            int[] ids = FakeEmbeddings.tokens(in);
            for (int id : ids) {
                if (id >= e.vocabSize()) {
                    throw new InferenceException.InvalidInput("input[" + i + "]", "token id " + id + " out of range");
                }
            }
            if (ids.length > e.maxTokens()) {
                if (!request.truncate()) {
                    throw new InferenceException.InvalidInput(
                            "input[" + i + "]",
                            "input[" + i + "] has " + ids.length + " tokens, more than the model's limit of "
                                    + e.maxTokens());
                }
                ids = Arrays.copyOf(ids, e.maxTokens());
            }
            counts[i] = ids.length;
            ran.append(Arrays.toString(ids));
            float[] v = FakeEmbeddings.vector(ids, e, request.dimensions());
            if (in instanceof EmbeddingInput.Text t && t.text().startsWith("fake:nan")) {
                v[0] = Float.NaN;
            }
            vectors.add(v);
        }
        return new EmbeddingResult(
                vectors, counts, SHA256, sha256(ran.toString()), "FakeExecutionProvider", 1_000, 2_000, 3_000, 4_000);
    }

    /** Generates as {@link FakeGeneration} says; rethrows what the listener throws, as the engine does. */
    @Override
    public GenerationResult generate(GenerationRequest request, GenerationListener listener) throws InferenceException {
        ModelInfo m = model(request.model()).orElseThrow(() -> new InferenceException.UnknownModel(request.model()));
        GenerationInfo g = m.generation();
        if (m.task() != ModelTask.GENERATION || g == null) {
            throw new InferenceException.InvalidInput("model", "model '" + m.name() + "' is not a generation model");
        }
        generating.incrementAndGet();
        try {
            return new FakeGeneration(clock, generated).run(request, g, listener);
        } finally {
            generating.decrementAndGet();
        }
    }

    @Override
    public io.parallelix.node.gpu.verify.Verification checkGeneration(
            io.parallelix.node.gpu.verify.GenerationClaim claim,
            io.parallelix.node.gpu.verify.GenerationPolicy policy) {
        throw new UnsupportedOperationException("FakeEngine.checkGeneration: not built yet");
    }

    private void hooks(EmbeddingInput in, EmbeddingRequest request) throws InferenceException {
        if (!(in instanceof EmbeddingInput.Text t) || !t.text().startsWith("fake:")) {
            return;
        }
        if (t.text().startsWith("fake:fail")) {
            throw new InferenceException.ModelFailed("injected failure", new IllegalStateException("fake"));
        }
        if (t.text().startsWith("fake:sleep:")) {
            long until = System.currentTimeMillis()
                    + Long.parseLong(t.text().substring(11).trim());
            while (System.currentTimeMillis() < until) {
                if (clock.instant().isAfter(request.deadline())) {
                    throw new InferenceException.DeadlineExceeded("the run passed its deadline");
                }
                sleep();
            }
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(java.security.MessageDigest.getInstance("SHA-256")
                            .digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
