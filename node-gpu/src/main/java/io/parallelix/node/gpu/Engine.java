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

    /**
     * One served model's fingerprint (its own provider, deterministic flag and intra-op threads),
     * empty for an unknown model. This default is the node's for every model.
     */
    default Optional<RuntimeFingerprint> fingerprint(String model) {
        return model(model).map(m -> fingerprint());
    }

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

    /**
     * Checks another node's generation without re-generating it (docs/verification.md): renders
     * and tokenizes the input as {@link #generate} would (or takes the claimed prompt ids after
     * checking them against it), then one teacher-forced prefill per choice over prompt + claimed
     * tokens (in chunks that fit the context) gives the logits at every position, and each claimed
     * token, logprob, the text and the finish reason are judged under {@code policy}. InvalidInput
     * as for generate; a claim that fails is a Verification with a failed check, not an exception.
     */
    io.parallelix.node.gpu.verify.Verification checkGeneration(
            io.parallelix.node.gpu.verify.GenerationClaim claim, io.parallelix.node.gpu.verify.GenerationPolicy policy)
            throws InferenceException;
}
