package io.parallelix.node.gpu;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtLoggingLevel;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.OrtSession.RunOptions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The ONNX Runtime side of one sequence (batch 1): a prefill run over the prompt with an empty
 * past, then one run per token whose {@code past_key_values.*} inputs are the previous run's
 * {@code present.*} OnnxTensors as they are, so the cache never passes through the Java heap (on
 * CUDA, ONNX Runtime's Java API has no IO binding: outputs come back to host memory and go out
 * again each step). Each run's Result stays open until the next run has used it; close() frees
 * the last one, the empty past and the run options, on every path. Each run is bounded by the
 * deadline (RunGuard). Not thread-safe: one per sequence.
 */
final class DecodeRun implements AutoCloseable {
    private final OrtEnvironment env;
    private final RunDeadlines deadlines;
    private final Clock clock;
    private final String model;
    private final SessionInstance instance;
    private final DecoderLayout layout;
    private final RunOptions options;
    /** 1s for every attention mask (a mask tensor is a view of its first length entries). */
    private final LongBuffer ones;

    private final float[] logits;
    private final Map<String, OnnxTensor> emptyPast = new HashMap<>();
    /** Every output but the logits: what a prefill with pinned logits asks ORT for. */
    private final Set<String> presents = new HashSet<>();

    private @Nullable Result previous;
    private int length;

    DecodeRun(
            OrtEnvironment env,
            RunDeadlines deadlines,
            Clock clock,
            String model,
            SessionInstance instance,
            DecoderLayout layout,
            int context)
            throws OrtException {
        this.env = env;
        this.deadlines = deadlines;
        this.clock = clock;
        this.model = model;
        this.instance = instance;
        this.layout = layout;
        this.logits = new float[Math.toIntExact(layout.vocab())];
        this.ones = layout.attentionMask() ? direct(context) : LongBuffer.allocate(0);
        for (int i = 0; i < context && layout.attentionMask(); i++) {
            ones.put(i, 1L);
        }
        RunOptions o = new RunOptions();
        try {
            o.setLogLevel(OrtLoggingLevel.ORT_LOGGING_LEVEL_FATAL); // a failed run's text comes back in the exception
            long[] shape = {1, layout.kvHeads(), 0, layout.headDim()};
            OnnxJavaType type = layout.kvType() == DataType.FP16 ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT;
            for (int i = 0; i < layout.layers(); i++) {
                for (String kind : KINDS) {
                    presents.add(DecoderLayout.presentName(i, kind));
                    emptyPast.put(
                            DecoderLayout.pastName(i, kind),
                            OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0), shape, type));
                }
            }
        } catch (OrtException | RuntimeException e) {
            emptyPast.values().forEach(OnnxTensor::close);
            o.close();
            throw e;
        }
        this.options = o;
    }

    private static final String[] KINDS = {"key", "value"};

    /** Runs the prompt; the logits of its last position (a buffer this run reuses). */
    float[] prefill(int[] prompt, Instant deadline) throws OrtException, InferenceException {
        long[] ids = new long[prompt.length];
        long[] positions = new long[prompt.length];
        for (int i = 0; i < prompt.length; i++) {
            ids[i] = prompt[i];
            positions[i] = i;
        }
        return run(ids, positions, emptyPast, deadline);
    }

    /** Runs one token after the sequence so far; the logits of the next. */
    float[] step(int token, Instant deadline) throws OrtException, InferenceException {
        if (previous == null) {
            throw new IllegalStateException("step before prefill");
        }
        return run(new long[] {token}, new long[] {length}, cache(), deadline);
    }

    /** The next run's past: the previous run's presents as they are, or the empty past before any run. */
    private Map<String, OnnxTensor> cache() {
        Result past = previous;
        if (past == null) {
            return emptyPast;
        }
        Map<String, OnnxTensor> cache = new HashMap<>();
        for (int i = 0; i < layout.layers(); i++) {
            for (String kind : KINDS) {
                cache.put(DecoderLayout.pastName(i, kind), output(past, DecoderLayout.presentName(i, kind)));
            }
        }
        return cache;
    }

    /** Where a teacher-forced pass hands each position's logits (a buffer the pass reuses). */
    @FunctionalInterface
    interface Rows {
        void row(int position, float[] logits) throws InferenceException;
    }

    /**
     * Teacher forcing from an empty cache: runs {@code ids} in runs of at most {@code chunk}
     * positions (each run's past is the previous one's presents), and hands {@code rows} the
     * logits of every position from {@code from} on, in order: the logits at position p are the
     * model's prediction of ids[p + 1]. The [1, chunk, vocab] logits of a run land in one pinned
     * buffer of ours, reused, and each row is read from it in place, so memory stays at chunk x
     * vocab floats whatever the length. Each run is bounded by the deadline.
     */
    void teacherForce(int[] ids, int from, int chunk, Instant deadline, Rows rows)
            throws OrtException, InferenceException {
        if (previous != null || length != 0) {
            throw new IllegalStateException("teacher forcing starts from an empty cache");
        }
        if (chunk < 1 || ids.length < 1 || from < 0 || from >= ids.length) {
            throw new IllegalArgumentException("teacher forcing needs ids, 0 <= from < " + ids.length
                    + " and chunk >= 1; got from " + from + ", chunk " + chunk);
        }
        int size = Math.min(chunk, ids.length);
        FloatBuffer pinned = layout.logitsType() == DataType.FP32
                ? ByteBuffer.allocateDirect(Math.multiplyExact(size, logits.length * Float.BYTES))
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer()
                : null;
        for (int at = 0; at < ids.length; at += size) {
            int n = Math.min(size, ids.length - at);
            long[] runIds = new long[n];
            long[] positions = new long[n];
            for (int i = 0; i < n; i++) {
                runIds[i] = ids[at + i];
                positions[i] = at + i;
            }
            FloatBuffer out = pinned == null ? null : pinned.slice(0, n * logits.length);
            Result result = runOnce(runIds, positions, cache(), deadline, out);
            ShortBuffer half = out == null ? logitsTensor(result, n).getShortBuffer() : null; // FP16: one copy per run
            for (int p = Math.max(at, from); p < at + n; p++) {
                int offset = (p - at) * logits.length;
                if (half != null) {
                    for (int i = 0; i < logits.length; i++) {
                        logits[i] = Float.float16ToFloat(half.get(offset + i));
                    }
                } else if (out != null) {
                    out.get(offset, logits);
                }
                rows.row(p, logits);
            }
        }
    }

    private float[] run(long[] ids, long[] positions, Map<String, OnnxTensor> past, Instant deadline)
            throws OrtException, InferenceException {
        // A prefill's logits go straight into a buffer of ours (a pinned output): reading its last
        // row in place spares a heap copy of all [1, prompt, vocab] (130 MB at 1,000 tokens of a
        // 32,000 vocabulary; measured in docs/benchmarks.md, "Generation").
        FloatBuffer pinned = ids.length > 1 && layout.logitsType() == DataType.FP32
                ? ByteBuffer.allocateDirect(Math.multiplyExact(ids.length, logits.length * Float.BYTES))
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer()
                : null;
        Result result = runOnce(ids, positions, past, deadline, pinned);
        if (pinned != null) {
            pinned.get((ids.length - 1) * logits.length, logits);
        } else {
            readRow(result, ids.length, ids.length - 1);
        }
        return logits;
    }

    /**
     * One run after the cache so far; with {@code pinned}, the logits go into it and the Result
     * holds the presents only. The Result becomes {@code previous} (the next run's past).
     */
    private Result runOnce(
            long[] ids, long[] positions, Map<String, OnnxTensor> past, Instant deadline, @Nullable FloatBuffer pinned)
            throws OrtException, InferenceException {
        long nanos = Deadlines.remainingNanos(clock, deadline);
        if (nanos <= 0) {
            throw new InferenceException.DeadlineExceeded("model '" + model + "' passed its deadline while generating");
        }
        int total = length + ids.length;
        Map<String, OnnxTensor> inputs = new HashMap<>(past);
        OnnxTensor idTensor = null;
        OnnxTensor maskTensor = null;
        OnnxTensor positionTensor = null;
        Result result;
        OnnxTensor pinnedTensor = null;
        RunGuard guard = RunGuard.start(deadlines, options, nanos);
        try (guard) {
            idTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, ids.length});
            inputs.put(DecoderLayout.INPUT_IDS, idTensor);
            if (layout.attentionMask()) {
                maskTensor = OnnxTensor.createTensor(env, ones.slice(0, total), new long[] {1, total});
                inputs.put(DecoderLayout.ATTENTION_MASK, maskTensor);
            }
            if (layout.positionIds()) {
                positionTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(positions), new long[] {1, ids.length});
                inputs.put(DecoderLayout.POSITION_IDS, positionTensor);
            }
            if (pinned != null) {
                pinnedTensor = OnnxTensor.createTensor(env, pinned, new long[] {1, ids.length, logits.length});
                result = instance.session().run(inputs, presents, Map.of(DecoderLayout.LOGITS, pinnedTensor), options);
            } else {
                result = instance.session().run(inputs, options);
            }
        } catch (OrtException e) {
            if (guard.fired()) {
                throw new InferenceException.DeadlineExceeded(
                        "model '" + model + "' ran past its deadline while generating and was terminated");
            }
            throw e;
        } finally {
            closeQuietly(idTensor);
            closeQuietly(maskTensor);
            closeQuietly(positionTensor);
            closeQuietly(pinnedTensor); // ORT wrote into our buffer; the tensor object is no longer needed
        }
        // The new result holds the cache now; the old one (whose presents were this run's past) can go.
        Result old = previous;
        previous = result;
        if (old != null) {
            old.close();
        }
        length = total;
        return result;
    }

    /** Row {@code row} of a run's [1, sequence, vocab] logits output into the logits buffer. */
    private void readRow(Result result, int sequence, int row) throws InferenceException.ModelFailed {
        OnnxTensor out = logitsTensor(result, sequence);
        int from = row * logits.length;
        if (layout.logitsType() == DataType.FP16) {
            ShortBuffer half = out.getShortBuffer(); // a copy of the whole tensor, as below
            for (int i = 0; i < logits.length; i++) {
                logits[i] = Float.float16ToFloat(half.get(from + i)); // exact: every FP16 value is a float
            }
            return;
        }
        FloatBuffer all = out.getFloatBuffer(); // a copy of the whole tensor: [1, 1, vocab] after the prefill
        all.get(from, logits);
    }

    /** The logits output, checked to be [1, sequence, vocab]. */
    private OnnxTensor logitsTensor(Result result, int sequence) throws InferenceException.ModelFailed {
        OnnxTensor out = output(result, DecoderLayout.LOGITS);
        long[] shape = out.getInfo().getShape();
        if (shape.length != 3 || shape[0] != 1 || shape[1] != sequence || shape[2] != logits.length) {
            throw new InferenceException.ModelFailed(
                    "model '" + model + "' gave logits of shape " + Arrays.toString(shape) + " for [1, " + sequence
                            + ", " + logits.length + "]",
                    new IllegalStateException("unexpected logits shape"));
        }
        return out;
    }

    private static OnnxTensor output(Result result, String name) {
        OnnxValue v = result.get(name).orElseThrow(() -> new IllegalStateException("no output '" + name + "'"));
        if (!(v instanceof OnnxTensor t)) {
            throw new IllegalStateException("output '" + name + "' is not a tensor");
        }
        return t;
    }

    private static LongBuffer direct(int n) {
        return ByteBuffer.allocateDirect(n * Long.BYTES)
                .order(ByteOrder.nativeOrder())
                .asLongBuffer();
    }

    private static void closeQuietly(@Nullable OnnxTensor t) {
        if (t != null) {
            t.close();
        }
    }

    @Override
    public void close() {
        if (previous != null) {
            previous.close();
            previous = null;
        }
        emptyPast.values().forEach(OnnxTensor::close);
        options.close();
    }
}
