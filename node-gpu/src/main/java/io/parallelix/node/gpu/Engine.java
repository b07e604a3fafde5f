package io.parallelix.node.gpu;

import java.util.List;
import java.util.Optional;

/**
 * What the node's service and task runners need of the engine: the served models, one
 * tensor run, one embedding request. {@link InferenceEngine} is the ONNX Runtime implementation; tests of the layers
 * above use a fake, so they run without loading ONNX Runtime.
 */
public interface Engine {
    /** Every served model, sorted by name. */
    List<ModelInfo> models();

    Optional<ModelInfo> model(String name);

    /** The node's runtime fingerprint: provider in use, node-wide deterministic flag. */
    RuntimeFingerprint fingerprint();

    /** Runs one whole tensor request; blocks until its result or its deadline. */
    InferenceResult infer(InferenceRequest request) throws InferenceException;

    /**
     * Tokenizes, runs and pools a whole embedding request on an embedding model; blocks until its
     * vectors or its deadline. InvalidInput names the input ({@code input[i]}) that does not fit.
     */
    EmbeddingResult embed(EmbeddingRequest request) throws InferenceException;

    /**
     * Tokenizes (or renders and tokenizes) the prompt and runs the decode loop of each choice on a
     * generation model, reporting every token to {@code listener} as it is sampled; blocks until
     * the whole result, the deadline (DeadlineExceeded) or the listener throws. InvalidInput names
     * the field: "prompt" / "messages" (too long for the context, with the token count), "max_tokens"
     * (more than the model allows), "model" (not a generation model, no chat template).
     */
    GenerationResult generate(GenerationRequest request, GenerationListener listener) throws InferenceException;
}
