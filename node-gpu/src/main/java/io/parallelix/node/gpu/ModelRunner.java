package io.parallelix.node.gpu;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.RunOptions;
import io.parallelix.node.gpu.InferenceException.DeadlineExceeded;
import io.parallelix.node.gpu.InferenceException.InputRejected;
import io.parallelix.node.gpu.InferenceException.ModelFailed;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The corridor of one request: validate, take a session, build tensors, run under the deadline,
 * copy the outputs out, give the session back, encode the canonical result. Every ORT object is
 * closed on every path.
 */
final class ModelRunner {
    private final OrtEnvironment env;
    private final RunDeadlines deadlines;
    private final Clock clock;
    private final DirectBuffers buffers;

    ModelRunner(OrtEnvironment env, RunDeadlines deadlines, Clock clock, DirectBuffers buffers) {
        this.env = env;
        this.deadlines = deadlines;
        this.clock = clock;
        this.buffers = buffers;
    }

    OrtEnvironment env() {
        return env;
    }

    RunDeadlines deadlines() {
        return deadlines;
    }

    Clock clock() {
        return clock;
    }

    /** The canonical bytes and how long each stage took (never compared, so an array is fine). */
    @SuppressWarnings("ArrayRecordComponent")
    record Outcome(byte[] safetensors, String inputsSha256, long tensorNanos, long runNanos, long encodeNanos) {}

    /** The outputs of a run, copied out of ORT, not yet encoded. */
    private record Ran(CanonicalTensors outputs, long tensorNanos, long runNanos) {}

    InferenceResult infer(LoadedModel model, InferenceRequest request) throws InferenceException {
        long start = System.nanoTime();
        InputValidator.Checked checked = model.validator().check(request);
        long waited;
        String provider;
        Ran ran;
        try (InstancePool.Lease lease = model.pool().lease(clock, request.deadline())) {
            waited = System.nanoTime() - start;
            provider = lease.instance().provider();
            ran = execute(model, lease.instance(), checked, request.deadline());
        }
        // The session is free again: the next request runs while this one is hashed and encoded.
        Outcome o = encode(model, checked, ran, request.metadata());
        return new InferenceResult(
                o.safetensors(),
                model.info().sha256(),
                o.inputsSha256(),
                provider,
                waited,
                o.tensorNanos(),
                o.runNanos(),
                o.encodeNanos());
    }

    /** A run's outputs as ORT gave them (little-endian, row-major), for tasks that post-process them. */
    record Raw(CanonicalTensors outputs, String provider, long waitNanos, long tensorNanos, long runNanos) {}

    /** Validates and runs the request like {@link #infer}, without encoding a result. */
    Raw runRaw(LoadedModel model, InferenceRequest request) throws InferenceException {
        long start = System.nanoTime();
        InputValidator.Checked checked = model.validator().check(request);
        try (InstancePool.Lease lease = model.pool().lease(clock, request.deadline())) {
            long waited = System.nanoTime() - start;
            Ran ran = execute(model, lease.instance(), checked, request.deadline());
            return new Raw(ran.outputs(), lease.instance().provider(), waited, ran.tensorNanos(), ran.runNanos());
        }
    }

    /** One run on a given instance (warm-up and canary use this directly, with Instant.MAX). */
    Outcome run(LoadedModel model, SessionInstance instance, InputValidator.Checked checked, Instant deadline)
            throws InferenceException {
        return encode(model, checked, execute(model, instance, checked, deadline), Map.of());
    }

    /** Tensors, run under the deadline, outputs copied out: what needs the session. */
    private Ran execute(LoadedModel model, SessionInstance instance, InputValidator.Checked checked, Instant deadline)
            throws InferenceException {
        long t0 = System.nanoTime();
        CanonicalTensors outputs = new CanonicalTensors();
        long t1;
        long t2;
        try (TensorSet tensors = TensorSet.build(env, buffers, checked.inputs());
                RunOptions options = runOptions()) {
            t1 = System.nanoTime();
            long nanos = Deadlines.remainingNanos(clock, deadline);
            if (nanos <= 0) {
                throw new DeadlineExceeded("deadline passed before model '" + model.name() + "' could run");
            }
            RunGuard guard = RunGuard.start(deadlines, options, nanos);
            try (guard;
                    Result result =
                            instance.session().run(tensors.byName(), new LinkedHashSet<>(checked.outputs()), options)) {
                for (Map.Entry<String, OnnxValue> output : result) {
                    OutputReader.read(output.getKey(), output.getValue(), outputs);
                }
            } catch (OrtException e) {
                if (guard.fired()) {
                    throw new DeadlineExceeded("model '" + model.name() + "' ran past its deadline and was terminated");
                }
                // Inputs that passed validation on a model that passed its canary: an invalid
                // argument now is a value of the request (Gather index out of range), not a fault.
                if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
                    throw new InputRejected(
                            "model '" + model.name() + "' refused the input values: " + OrtMessages.of(e), e);
                }
                throw new ModelFailed("model '" + model.name() + "' failed in ONNX Runtime: " + OrtMessages.of(e), e);
            }
            t2 = System.nanoTime();
        } catch (OrtException | RuntimeException e) {
            throw new ModelFailed("model '" + model.name() + "' could not run: " + OrtMessages.of(e), e);
        }
        return new Ran(outputs, t1 - t0, t2 - t1);
    }

    /**
     * Per run: give the CPU arena's free chunks back once the run is done (measured in docs/engine.md,
     * "Memory": a [16, 512] MiniLM run otherwise keeps ~450 MiB for good), and no ORT log line for a
     * failed run, whose text comes back in the exception and is logged once by the caller.
     */
    private static RunOptions runOptions() throws OrtException {
        RunOptions options = new RunOptions();
        try {
            options.addRunConfigEntry("memory.enable_memory_arena_shrinkage", "cpu:0");
            options.setLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL);
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    /** The canonical result: inputs hashed, outputs and metadata encoded (no session needed). */
    private static Outcome encode(
            LoadedModel model, InputValidator.Checked checked, Ran ran, Map<String, String> extra) {
        long start = System.nanoTime();
        CanonicalTensors inputs = CanonicalTensors.ofInputs(checked.inputs());
        String inputsSha256 =
                HexFormat.of().formatHex(SafetensorsWriter.sha256(inputs.tensors(), inputs.metadata(Map.of())));
        Map<String, String> metadata = new HashMap<>(extra);
        for (Map.Entry<String, String> own : Map.of(
                        "model", model.name(),
                        "model_sha256", model.info().sha256(),
                        "inputs_sha256", inputsSha256)
                .entrySet()) {
            if (metadata.put(own.getKey(), own.getValue()) != null) {
                throw new IllegalArgumentException("result metadata may not replace '" + own.getKey() + "'");
            }
        }
        byte[] bytes =
                SafetensorsWriter.encode(ran.outputs().tensors(), ran.outputs().metadata(metadata));
        return new Outcome(bytes, inputsSha256, ran.tensorNanos(), ran.runNanos(), System.nanoTime() - start);
    }
}
