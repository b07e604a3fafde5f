package io.parallelix.node.gpu;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Warm-up runs, then the canary, on every session instance of a model. The canary's result is
 * compared with configured values; in deterministic mode it also runs twice per instance and every
 * run must give the same bytes.
 */
final class ModelWarmup {
    private final ModelRunner runner;

    ModelWarmup(ModelRunner runner) {
        this.runner = runner;
    }

    void run(LoadedModel model, ModelConfig config) throws EngineException {
        InputValidator.Checked warmup = check(model, config.warmupInputs(), "warmup.inputs");
        InputValidator.Checked canary = check(model, config.canaryInputs(), "canary.inputs");
        byte @Nullable [] reference = null;
        for (SessionInstance instance : model.pool().instances()) {
            for (int i = 0; i < config.warmupRuns(); i++) {
                runOnce(model, instance, warmup, "warm-up");
            }
            byte[] result = runOnce(model, instance, canary, "canary");
            Optional<String> mismatch = CanaryCheck.compare(config.canaryExpected(), result);
            if (mismatch.isPresent()) {
                throw new EngineException("model '" + model.name() + "' failed its canary: " + mismatch.get()
                        + ". Fix: check the model file and provider, or correct canary.expected in its config.yaml.");
            }
            if (model.info().deterministic()) {
                byte[] again = runOnce(model, instance, canary, "canary");
                if (!Arrays.equals(result, again) || (reference != null && !Arrays.equals(reference, result))) {
                    throw new EngineException("model '" + model.name() + "' is not deterministic on "
                            + instance.provider() + ": canary runs gave different bytes. Fix: run it without"
                            + " deterministic mode, or find the non-deterministic operator (docs/engine.md).");
                }
                reference = result;
            }
        }
    }

    private static InputValidator.Checked check(LoadedModel model, @Nullable List<InputTensor> configured, String what)
            throws EngineException {
        List<InputTensor> inputs =
                configured != null ? configured : ZeroInputs.of(model.info().inputs());
        InferenceRequest request = new InferenceRequest(what, model.name(), inputs, List.of(), Instant.MAX);
        try {
            return model.validator().check(request);
        } catch (InferenceException.InvalidInput e) {
            throw new EngineException("model '" + model.name() + "': " + what + " in its config.yaml do not fit the"
                    + " model (" + e.field() + "): " + OrtMessages.of(e) + ". Fix: correct " + what + ".");
        }
    }

    private byte[] runOnce(LoadedModel model, SessionInstance instance, InputValidator.Checked inputs, String what)
            throws EngineException {
        try {
            return runner.run(model, instance, inputs, Instant.MAX).safetensors();
        } catch (InferenceException e) {
            throw new EngineException(
                    "model '" + model.name() + "' failed its " + what + " run on "
                            + instance.provider() + ": " + OrtMessages.of(e)
                            + ". Fix: check the model file and the warm-up/canary inputs in its"
                            + " config.yaml (zero-filled inputs are used when none are given).",
                    e);
        }
    }
}
