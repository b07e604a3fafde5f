package io.parallelix.node.gpu;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.gpu.text.Tokenizer;
import io.parallelix.node.gpu.text.TokenizerException;
import io.parallelix.node.gpu.text.TokenizerLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The text side of loading a model: which task its directory serves, its tokenizer (the native
 * library is loaded on the first model that needs one, never on a tensor-only node), its
 * embedding layout, and the probe that shows its vector size once it runs.
 */
final class TextModels {
    static final String TOKENIZER = "tokenizer.json";
    /** Rows per batch when the model's limits do not say, and padded tokens per batch. */
    private static final int DEFAULT_MAX_BATCH = 32;

    private static final int MAX_BATCH_TOKENS = 8192;
    private static final String PROBE = "The quick brown fox jumps over the lazy dog.";

    private final EngineConfig config;
    private final ModelRunner runner;
    private final ObjectMapper json = new ObjectMapper();
    private @Nullable TokenizerLibrary library;

    TextModels(EngineConfig config, ModelRunner runner) {
        this.config = config;
        this.runner = runner;
    }

    /**
     * config.yaml's task, else embedding for a tokenizer with a pooling (sentence-transformers or
     * configured), else generation for a tokenizer beside a graph with a key/value cache input.
     */
    static ModelTask task(Path dir, ModelConfig modelConfig, List<TensorSpec> inputs) {
        if (modelConfig.task() != null) {
            return modelConfig.task();
        }
        boolean tokenizer = Files.isRegularFile(dir.resolve(TOKENIZER));
        boolean pooling =
                SentenceTransformers.present(dir) || modelConfig.embedding().pooling() != null;
        boolean cache = inputs.stream().anyMatch(t -> t.name().startsWith("past_key_values."));
        if (tokenizer && pooling) {
            return ModelTask.EMBEDDING;
        }
        return tokenizer && cache ? ModelTask.GENERATION : ModelTask.TENSOR;
    }

    /**
     * The embedding path of a loaded graph. Batches are padded on the right in every mode on the
     * CPU provider, where a vector was measured bitwise the same alone and in any batch
     * (EmbeddingTest); deterministic mode on CUDA runs each input alone, since cuBLAS may pick
     * other kernels for other batch shapes and that could not be measured here.
     */
    Embedder embedder(String model, Path dir, ModelConfig modelConfig, ModelInfo info) throws EngineException {
        List<TensorSpec> inputs = info.inputs();
        List<TensorSpec> outputs = info.outputs();
        boolean unbatched = info.deterministic() && info.provider().equals(Fingerprints.CUDA);
        EmbeddingLayout layout = EmbeddingLayout.read(
                model,
                dir,
                modelConfig.embedding(),
                inputs,
                outputs,
                (int) Math.min(Integer.MAX_VALUE, modelConfig.limits().maxSequence()),
                json);
        int maxBatch = modelConfig.limits().maxBatch() > 0
                ? (int) Math.min(Integer.MAX_VALUE, modelConfig.limits().maxBatch())
                : DEFAULT_MAX_BATCH;
        Tokenizer tokenizer = tokenizer(model, dir);
        try {
            return new Embedder(new EmbeddingInputs(tokenizer, layout, maxBatch, MAX_BATCH_TOKENS, unbatched), runner);
        } catch (RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    /** The generation path of a loaded decoder graph; the KV budget is checked here, before any run. */
    Generator generator(String model, Path dir, ModelConfig modelConfig, ModelInfo info, int permits)
            throws EngineException {
        DecoderLayout layout = DecoderLayout.of(model, info.inputs(), info.outputs());
        if (layout.vocab() < 1 || layout.vocab() > (1 << 20)) {
            throw new EngineException("model '" + model + "': its logits output has a vocabulary dimension of "
                    + layout.vocab() + "; the node needs it fixed in the graph, 1 to 1,048,576");
        }
        DecoderFacts facts = DecoderFacts.read(model, dir, json);
        Tokenizer tokenizer = tokenizer(model, dir, "a generation");
        try {
            GenerationChat chat = GenerationChat.load(model, dir, json);
            GenerationInfo g = GenerationLimits.of(model, modelConfig, layout, facts, tokenizer, chat, permits);
            return new Generator(
                    runner.env(),
                    runner.deadlines(),
                    runner.clock(),
                    tokenizer,
                    layout,
                    chat.template(),
                    chat.problem(),
                    g);
        } catch (EngineException | RuntimeException e) {
            tokenizer.close();
            throw e;
        }
    }

    private Tokenizer tokenizer(String model, Path dir) throws EngineException {
        return tokenizer(model, dir, "an embedding");
    }

    private Tokenizer tokenizer(String model, Path dir, String kind) throws EngineException {
        Path file = dir.resolve(TOKENIZER);
        if (!Files.isRegularFile(file)) {
            throw new EngineException("model '" + model + "' is " + kind + " model without " + TOKENIZER + ". Fix: copy"
                    + " the tokenizer.json of its Hugging Face export beside the model, or set task: tensor.");
        }
        try {
            if (library == null) {
                library = TokenizerLibrary.load(config.tokenizerLibrary(), config.nativeDir());
            }
            return Tokenizer.open(library, file);
        } catch (TokenizerException e) {
            throw new EngineException("model '" + model + "': " + e.getMessage(), e);
        }
    }

    /**
     * Generates a few greedy tokens from a probe text (the model's warm-up), twice in deterministic
     * mode, where both must give the same tokens.
     */
    static void probe(LoadedModel model, Generator generator) throws EngineException {
        GenerationRequest probe = new GenerationRequest(
                "probe",
                model.name(),
                new GenerationInput.Text(PROBE),
                SamplingParams.defaults(0).withTemperature(0),
                Math.min(4, generator.info().maxNewTokens()),
                1,
                List.of(),
                Instant.MAX);
        try {
            int[] first = generator
                    .generate(model, probe, GenerationListener.NONE)
                    .choices()
                    .get(0)
                    .tokenIds();
            if (model.info().deterministic()
                    && !Arrays.equals(
                            first,
                            generator
                                    .generate(model, probe, GenerationListener.NONE)
                                    .choices()
                                    .get(0)
                                    .tokenIds())) {
                throw new EngineException("model '" + model.name() + "' is not deterministic: two greedy generations"
                        + " from the same prompt differ. Fix: run it without deterministic mode (docs/engine.md).");
            }
        } catch (InferenceException e) {
            throw new EngineException(
                    "model '" + model.name() + "' failed its generation probe: " + OrtMessages.of(e)
                            + ". Fix: check that its tokenizer.json and config.json belong to this graph.",
                    e);
        }
    }

    /**
     * Embeds a probe text to learn the vector size, twice in deterministic mode (the two vectors
     * must be bitwise equal), and says what clients see of the model.
     */
    static EmbeddingInfo probe(LoadedModel model, Embedder embedder) throws EngineException {
        EmbeddingRequest probe = new EmbeddingRequest(
                "probe", model.name(), List.of(new EmbeddingInput.Text(PROBE)), false, 0, Instant.MAX);
        try {
            float[] first = embedder.embed(model, probe).vectors().get(0);
            if (model.info().deterministic()
                    && !Arrays.equals(
                            first, embedder.embed(model, probe).vectors().get(0))) {
                throw new EngineException("model '" + model.name() + "' is not deterministic: two embeddings of the"
                        + " same text differ. Fix: run it without deterministic mode (docs/engine.md).");
            }
        } catch (InferenceException e) {
            throw new EngineException(
                    "model '" + model.name() + "' failed its embedding probe: " + OrtMessages.of(e)
                            + ". Fix: check that its tokenizer.json belongs to this model.",
                    e);
        }
        EmbeddingLayout l = embedder.layout();
        return new EmbeddingInfo(
                embedder.dimensions(),
                l.maxTokens(),
                embedder.vocabSize(),
                l.pooling().wireName(),
                l.normalize(),
                l.truncatableDimensions());
    }
}
