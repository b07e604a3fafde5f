package io.parallelix.node.daemon.bench;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.Result;
import ai.onnxruntime.TensorInfo;
import io.parallelix.node.crypto.ResultSigner;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;

/**
 * The generation limit: one greedy generation on ONNX Runtime Java alone. A prefill run over the
 * prompt with an empty past, then one run per token whose past_key_values are the previous run's
 * present OnnxTensors as they are, greedy argmax over the last logits row (ties to the lowest id),
 * and at the end one signature (node-crypto ResultSigner: PoE, signature, verify-after-sign) over
 * as many bytes as the node's answer. Session options as node-gpu's SessionFactory builds them
 * (sequential, deterministic compute, intra-/inter-op threads); a generation holds one of
 * {@code sequences} permits from its prefill to its last token, as the engine holds a session
 * lease. No sampler, detokenizer, stop matching, JSON or HTTP.
 */
final class GenerationLimit implements AutoCloseable {
    private static final String PAST = "past_key_values.";

    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession session;
    private final Semaphore sequences;
    private final ResultSigner signer;
    private final byte[] answer;
    private final List<String> pastNames = new ArrayList<>();
    private final java.util.Set<String> presents = new java.util.HashSet<>();
    private final long[] pastShape;
    private final boolean mask;
    private final boolean positions;
    private final int maxLength;
    private final int vocab;
    /** 1s for every attention mask, shared (read-only) by every generation. */
    private final LongBuffer ones;

    /**
     * What one generation took, in nanoseconds from its start (after the permit); readNanos is the
     * prefill's logits read (getFloatBuffer copies all [1, prompt, vocab] of them, as the engine does).
     */
    @SuppressWarnings("ArrayRecordComponent")
    record Run(int[] tokens, long waitNanos, long prefillNanos, long readNanos, long[] tokenNanos, long endNanos) {}

    GenerationLimit(
            Path model,
            boolean deterministic,
            int intraOpThreads,
            int interOpThreads,
            int sequences,
            int maxLength,
            ResultSigner signer,
            int answerBytes)
            throws OrtException {
        this.session = OrtLimit.session(env, model, deterministic, intraOpThreads, interOpThreads);
        long[] shape = null;
        for (Map.Entry<String, NodeInfo> e : session.getInputInfo().entrySet()) {
            if (e.getKey().startsWith(PAST)) {
                pastNames.add(e.getKey());
                shape = ((TensorInfo) e.getValue().getInfo()).getShape().clone();
            }
        }
        if (shape == null) {
            throw new IllegalStateException(model + " has no past_key_values inputs");
        }
        shape[0] = 1;
        shape[2] = 0;
        this.pastShape = shape;
        this.vocab = Math.toIntExact(
                ((TensorInfo) session.getOutputInfo().get("logits").getInfo()).getShape()[2]);
        session.getOutputNames().stream().filter(n -> !n.equals("logits")).forEach(presents::add);
        this.mask = session.getInputNames().contains("attention_mask");
        this.positions = session.getInputNames().contains("position_ids");
        this.sequences = new Semaphore(sequences, true);
        this.signer = signer;
        this.answer = new byte[answerBytes];
        new java.util.Random(1).nextBytes(answer);
        this.maxLength = maxLength;
        this.ones = ByteBuffer.allocateDirect(maxLength * Long.BYTES)
                .order(ByteOrder.nativeOrder())
                .asLongBuffer();
        for (int i = 0; i < maxLength; i++) {
            ones.put(i, 1L);
        }
    }

    int vocab() {
        return vocab;
    }

    /** Bytes of the whole cache per token: every past input's kv heads x head dim x 4 (FP32). */
    long cacheBytesPerToken() {
        return pastNames.size() * pastShape[1] * pastShape[3] * Float.BYTES;
    }

    /** {@code newTokens} greedy tokens after {@code prompt}, then one signature. */
    Run generate(int[] prompt, int newTokens) throws OrtException, InterruptedException {
        return generate(prompt, newTokens, null);
    }

    /**
     * As {@link #generate(int[], int)}; with {@code copies} non-null, also times (once per step,
     * outside the step's own time) a round trip of that step's present tensors through the Java
     * heap (getFloatBuffer + createTensor, closed at once), added per step.
     */
    Run generate(int[] prompt, int newTokens, long @Nullable [] copies) throws OrtException, InterruptedException {
        if (prompt.length + newTokens > maxLength) {
            throw new IllegalArgumentException("prompt + new tokens exceed " + maxLength);
        }
        long t0 = System.nanoTime();
        sequences.acquire();
        long start = System.nanoTime();
        int[] tokens = new int[newTokens];
        long[] at = new long[newTokens];
        long prefill;
        long read = 0;
        Map<String, OnnxTensor> empty = new HashMap<>();
        Result previous = null;
        try {
            for (String name : pastNames) {
                empty.put(
                        name,
                        OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0), pastShape, OnnxJavaType.FLOAT));
            }
            long[] ids = new long[prompt.length];
            long[] pos = new long[prompt.length];
            for (int i = 0; i < prompt.length; i++) {
                ids[i] = prompt[i];
                pos[i] = i;
            }
            previous = run(ids, pos, 0, empty);
            prefill = System.nanoTime() - start;
            int length = prompt.length;
            float[] row = new float[vocab];
            for (int s = 0; ; s++) {
                long r0 = System.nanoTime();
                lastRow(previous, s == 0 ? prompt.length : 1, row);
                read = s == 0 ? System.nanoTime() - r0 : read;
                tokens[s] = argmax(row);
                at[s] = System.nanoTime() - start;
                if (s + 1 == newTokens) {
                    break;
                }
                Map<String, OnnxTensor> past = new HashMap<>();
                for (String name : pastNames) {
                    past.put(name, output(previous, "present." + name.substring(PAST.length())));
                }
                if (copies != null) {
                    copies[s] += heapCopy(past);
                }
                Result next = run(new long[] {tokens[s]}, new long[] {length}, length, past);
                previous.close();
                previous = next;
                length++;
            }
        } finally {
            if (previous != null) {
                previous.close();
            }
            empty.values().forEach(OnnxTensor::close);
            sequences.release();
        }
        signer.sign("bench-generation", answer);
        return new Run(tokens, start - t0, prefill, read, at, System.nanoTime() - start);
    }

    private Result run(long[] ids, long[] pos, int past, Map<String, OnnxTensor> cache) throws OrtException {
        return run(ids, pos, past, cache, null);
    }

    /**
     * A prefill whose logits ONNX Runtime writes into a direct buffer of ours (a pinned output), so
     * the last row is read in place instead of copying all [1, prompt, vocab] to the heap: the
     * prefill run's and that read's nanoseconds. A measurement of the alternative, not a generation.
     */
    long[] prefillPinned(int[] prompt) throws OrtException {
        long[] ids = new long[prompt.length];
        long[] pos = new long[prompt.length];
        for (int i = 0; i < prompt.length; i++) {
            ids[i] = prompt[i];
            pos[i] = i;
        }
        FloatBuffer out = ByteBuffer.allocateDirect(prompt.length * vocab * Float.BYTES)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        Map<String, OnnxTensor> empty = new HashMap<>();
        try (OnnxTensor logits = OnnxTensor.createTensor(env, out, new long[] {1, prompt.length, vocab})) {
            for (String name : pastNames) {
                empty.put(
                        name,
                        OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0), pastShape, OnnxJavaType.FLOAT));
            }
            long t0 = System.nanoTime();
            try (Result r = run(ids, pos, 0, empty, logits)) {
                long t1 = System.nanoTime();
                float[] row = new float[vocab];
                out.get((prompt.length - 1) * vocab, row);
                long t2 = System.nanoTime();
                if (argmax(row) < 0 || r.size() == 0) {
                    throw new IllegalStateException("no output");
                }
                return new long[] {t1 - t0, t2 - t1};
            }
        } finally {
            empty.values().forEach(OnnxTensor::close);
        }
    }

    private Result run(
            long[] ids, long[] pos, int past, Map<String, OnnxTensor> cache, @Nullable OnnxTensor pinnedLogits)
            throws OrtException {
        Map<String, OnnxTensor> in = new HashMap<>(cache);
        List<OnnxTensor> ours = new ArrayList<>(3);
        try {
            ours.add(put(
                    in, "input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), new long[] {1, ids.length})));
            if (mask) {
                int total = past + ids.length;
                ours.add(put(
                        in, "attention_mask", OnnxTensor.createTensor(env, ones.slice(0, total), new long[] {1, total
                        })));
            }
            if (positions) {
                ours.add(put(
                        in, "position_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(pos), new long[] {1, pos.length
                        })));
            }
            return pinnedLogits == null
                    ? session.run(in)
                    : session.run(in, presents, Map.of("logits", pinnedLogits)); // requested = the others
        } finally {
            ours.forEach(OnnxTensor::close);
        }
    }

    /** Nanoseconds to read every present tensor into the heap and build a tensor from it again. */
    private long heapCopy(Map<String, OnnxTensor> present) throws OrtException {
        long t0 = System.nanoTime();
        for (OnnxTensor t : present.values()) {
            try (OnnxTensor copy =
                    OnnxTensor.createTensor(env, t.getFloatBuffer(), t.getInfo().getShape())) {
                if (copy.getInfo().getShape()[2] < 0) {
                    throw new IllegalStateException("bad copy");
                }
            }
        }
        return System.nanoTime() - t0;
    }

    private static OnnxTensor put(Map<String, OnnxTensor> in, String name, OnnxTensor t) {
        in.put(name, t);
        return t;
    }

    /** The logits of the last position, as the engine reads them (getFloatBuffer copies the whole tensor). */
    private static void lastRow(Result r, int sequence, float[] row) {
        FloatBuffer all = output(r, "logits").getFloatBuffer();
        all.get((sequence - 1) * row.length, row);
    }

    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    private static OnnxTensor output(Result r, String name) {
        OnnxValue v = r.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
        return (OnnxTensor) v;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
