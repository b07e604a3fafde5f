package io.parallelix.node.gpu;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The engine room: every model in the repository loaded, warmed up and canary-checked on the
 * configured provider, then run on request. Opening fails (EngineException) rather than leave a
 * half-ready node. Thread-safe; close() releases every session.
 */
public final class InferenceEngine implements Engine, AutoCloseable {
    private final Map<String, LoadedModel> models = new TreeMap<>();
    private final ModelRunner runner;
    private final RunDeadlines deadlines;
    private final RuntimeFingerprint fingerprint;
    private volatile boolean closed;

    InferenceEngine(
            List<LoadedModel> loaded, ModelRunner runner, RunDeadlines deadlines, RuntimeFingerprint fingerprint) {
        loaded.forEach(m -> models.put(m.name(), m));
        this.runner = runner;
        this.deadlines = deadlines;
        this.fingerprint = fingerprint;
    }

    /** Loads, warms up and canary-checks every model (seconds for large models); deadlines on the UTC system clock. */
    public static InferenceEngine open(EngineConfig config) throws EngineException {
        return open(config, Clock.systemUTC());
    }

    /** As {@link #open(EngineConfig)}, with request deadlines read on {@code clock}. */
    public static InferenceEngine open(EngineConfig config, Clock clock) throws EngineException {
        return open(config, clock, EngineDependencies.system());
    }

    /** As {@link #open(EngineConfig, Clock)}, telling {@code listener} how each model's load goes. */
    public static InferenceEngine open(EngineConfig config, Clock clock, LoadListener listener) throws EngineException {
        return EngineLoader.open(config, clock, EngineDependencies.system(), listener);
    }

    /** As {@link #open(EngineConfig, Clock)}, with the host (CUDA registration, GPU probe, CPU info) given. */
    static InferenceEngine open(EngineConfig config, Clock clock, EngineDependencies deps) throws EngineException {
        return EngineLoader.open(config, clock, deps, LoadListener.NONE);
    }

    /**
     * Runs the whole request and returns the canonical result; blocks the calling thread (at most
     * until the request's deadline, plus encoding). IllegalStateException once the engine is closed.
     */
    public InferenceResult infer(InferenceRequest request) throws InferenceException {
        if (closed) {
            throw new IllegalStateException("the inference engine is closed");
        }
        LoadedModel model = models.get(request.model());
        if (model == null) {
            throw new InferenceException.UnknownModel(request.model());
        }
        return runner.infer(model, request);
    }

    @Override
    public EmbeddingResult embed(EmbeddingRequest request) throws InferenceException {
        if (closed) {
            throw new IllegalStateException("the inference engine is closed");
        }
        LoadedModel model = models.get(request.model());
        if (model == null) {
            throw new InferenceException.UnknownModel(request.model());
        }
        Embedder embedder = model.embedder();
        if (embedder == null) {
            throw new InferenceException.InvalidInput(
                    "model", "model '" + model.name() + "' serves tensors only, not embeddings");
        }
        return embedder.embed(model, request);
    }

    @Override
    public io.parallelix.node.gpu.verify.Verification checkGeneration(
            io.parallelix.node.gpu.verify.GenerationClaim claim, io.parallelix.node.gpu.verify.GenerationPolicy policy)
            throws InferenceException {
        LoadedModel model = generationModel(claim.model());
        return java.util.Objects.requireNonNull(model.generator()).check(model, claim, policy);
    }

    @Override
    public GenerationResult generate(GenerationRequest request, GenerationListener listener) throws InferenceException {
        LoadedModel model = generationModel(request.model());
        return java.util.Objects.requireNonNull(model.generator()).generate(model, request, listener);
    }

    /** The served generation model of that name; UnknownModel, or InvalidInput("model") for another task. */
    private LoadedModel generationModel(String name) throws InferenceException {
        if (closed) {
            throw new IllegalStateException("the inference engine is closed");
        }
        LoadedModel model = models.get(name);
        if (model == null) {
            throw new InferenceException.UnknownModel(name);
        }
        if (model.generator() == null) {
            throw new InferenceException.InvalidInput(
                    "model",
                    "model '" + model.name() + "' is a " + model.info().task().wireName()
                            + " model, not a generation model");
        }
        return model;
    }

    /** Every model, sorted by name. */
    public List<ModelInfo> models() {
        return models.values().stream().map(LoadedModel::info).toList();
    }

    public Optional<ModelInfo> model(String name) {
        return Optional.ofNullable(models.get(name)).map(LoadedModel::info);
    }

    /** The node's fingerprint: provider in use, node-wide deterministic flag. */
    public RuntimeFingerprint fingerprint() {
        return fingerprint;
    }

    /**
     * One model's fingerprint: its own provider (auto may have put it on the CPU alone), its own
     * deterministic flag (config.yaml may turn it on) and intra-op threads: what this model's
     * results were computed under, and what the daemon signs into them.
     */
    @Override
    public Optional<RuntimeFingerprint> fingerprint(String model) {
        return Optional.ofNullable(models.get(model)).map(LoadedModel::fingerprint);
    }

    /** Tests' way into a model's pool and sessions; the daemon sees models only as ModelInfo. */
    Optional<LoadedModel> loaded(String model) {
        return Optional.ofNullable(models.get(model));
    }

    /** Waits for runs in progress (each bounded by its deadline), then frees every session. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        models.values().forEach(LoadedModel::close);
        deadlines.close();
    }
}
