package io.parallelix.node.gpu.decoders;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.parallelix.node.gpu.testing.DecoderSpec;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A greedy decode loop over a generated decoder, straight on ONNX Runtime: one prefill run over
 * the (padded) prompts, then one run per token with the previous run's {@code present.*} tensors
 * fed back as {@code past_key_values.*}. With {@link Cache#DIRECT} those OnnxTensors are the next
 * run's inputs as they are (native memory, no copy); {@link Cache#HEAP_COPY} reads each into the
 * Java heap and builds a new tensor from it, the cost the direct path saves. Every tensor and
 * result is closed on every path: a step's result stays open until the next run has used it.
 */
final class CachedDecoder {
    enum Cache {
        DIRECT,
        HEAP_COPY
    }

    /** Where the prompts' padding goes in a batch (the models honour any attention_mask). */
    enum Padding {
        LEFT,
        RIGHT
    }

    /** Per prompt: the logits that chose each generated token, the tokens; per step: run nanoseconds. */
    @SuppressWarnings("ArrayRecordComponent") // test data holder, never compared as a record
    record Generation(List<List<float[]>> logits, List<int[]> tokens, long[] runNanos, long[] cacheNanos) {}

    private static final long PAD_ID = 0;

    private final OrtEnvironment env;
    private final OrtSession session;
    private final DecoderSpec spec;

    CachedDecoder(OrtEnvironment env, OrtSession session, DecoderSpec spec) {
        this.env = env;
        this.session = session;
        this.spec = spec;
    }

    Generation generate(List<int[]> prompts, int steps, Padding padding, Cache cache) throws OrtException {
        int batch = prompts.size();
        int width = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        long[][] mask = new long[batch][width];
        long[] ids = new long[batch * width];
        long[] positions = new long[batch * width];
        int[] last = new int[batch];
        int[] real = new int[batch];
        for (int b = 0; b < batch; b++) {
            int[] p = prompts.get(b);
            int start = padding == Padding.LEFT ? width - p.length : 0;
            for (int j = 0; j < width; j++) {
                boolean token = j >= start && j < start + p.length;
                ids[b * width + j] = token ? p[j - start] : PAD_ID;
                mask[b][j] = token ? 1 : 0;
                // HF: position_ids = cumsum(mask) - 1, pads filled with 1 (their value is never used)
                positions[b * width + j] = token ? j - start : 1;
            }
            last[b] = start + p.length - 1;
            real[b] = p.length;
        }
        List<List<float[]>> logits = new ArrayList<>();
        List<int[]> tokens = new ArrayList<>();
        for (int b = 0; b < batch; b++) {
            logits.add(new ArrayList<>());
            tokens.add(new int[steps]);
        }
        long[] runNanos = new long[steps];
        long[] cacheNanos = new long[steps];
        Map<String, OnnxTensor> past = emptyPast(batch);
        boolean pastOwned = true; // the empty past and heap copies are ours; direct ones the result's
        OrtSession.@Nullable Result previous = null;
        try {
            for (int step = 0; step < steps; step++) {
                int seq = step == 0 ? width : 1;
                Map<String, OnnxTensor> inputs = new HashMap<>(past);
                OrtSession.Result result;
                try (OnnxTensor idsTensor = longs(ids, batch, seq);
                        OnnxTensor positionsTensor = longs(positions, batch, seq);
                        OnnxTensor maskTensor = longs(flatten(mask), batch, mask[0].length)) {
                    inputs.put("input_ids", idsTensor);
                    inputs.put("position_ids", positionsTensor);
                    inputs.put("attention_mask", maskTensor);
                    long t0 = System.nanoTime();
                    result = session.run(inputs);
                    runNanos[step] = System.nanoTime() - t0;
                }
                if (pastOwned) {
                    closeAll(past.values());
                }
                past = Map.of();
                if (previous != null) {
                    previous.close();
                }
                previous = result;
                float[][] rows = lastLogits(result, batch, seq, step == 0 ? last : new int[batch]);
                for (int b = 0; b < batch; b++) {
                    int next = argmax(rows[b]);
                    logits.get(b).add(rows[b]);
                    tokens.get(b)[step] = next;
                    ids[b] = next;
                    positions[b] = real[b]++;
                }
                long t1 = System.nanoTime();
                pastOwned = cache == Cache.HEAP_COPY;
                past = pastOwned ? heapCopy(result) : presentAsPast(result);
                cacheNanos[step] = System.nanoTime() - t1;
                mask = grow(mask);
            }
        } finally {
            if (pastOwned) {
                closeAll(past.values());
            }
            if (previous != null) {
                previous.close();
            }
        }
        return new Generation(logits, tokens, runNanos, cacheNanos);
    }

    /** A CPU session on one intra-op thread (the suite shares small machines). */
    static OrtSession open(OrtEnvironment env, Path modelFile) throws OrtException {
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            return env.createSession(modelFile.toString(), options);
        }
    }

    /** One run with an empty past: every position's logits, [batch][seq][vocab]. */
    float[][][] prefill(long[][] ids, long[][] mask, long[][] positions) throws OrtException {
        int batch = ids.length;
        int seq = ids[0].length;
        Map<String, OnnxTensor> past = emptyPast(batch);
        try (OnnxTensor idsTensor = longs(flatten(ids), batch, seq);
                OnnxTensor positionsTensor = longs(flatten(positions), batch, seq);
                OnnxTensor maskTensor = longs(flatten(mask), batch, mask[0].length)) {
            Map<String, OnnxTensor> inputs = new HashMap<>(past);
            inputs.put("input_ids", idsTensor);
            inputs.put("position_ids", positionsTensor);
            inputs.put("attention_mask", maskTensor);
            try (OrtSession.Result result = session.run(inputs)) {
                FloatBuffer all = ((OnnxTensor) result.get("logits").orElseThrow()).getFloatBuffer();
                float[][][] logits = new float[batch][seq][spec.vocabSize()];
                for (float[][] row : logits) {
                    for (float[] position : row) {
                        all.get(position);
                    }
                }
                return logits;
            }
        } finally {
            closeAll(past.values());
        }
    }

    /** Greedy: the highest logit, ties to the lowest token id. */
    static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }

    private Map<String, OnnxTensor> emptyPast(int batch) throws OrtException {
        Map<String, OnnxTensor> past = new HashMap<>();
        long[] shape = {batch, spec.kvHeads(), 0, spec.headDim()};
        OnnxJavaType type = spec.kvFp16() ? OnnxJavaType.FLOAT16 : OnnxJavaType.FLOAT;
        try {
            for (String name : pastNames()) {
                past.put(name, OnnxTensor.createTensor(env, ByteBuffer.allocateDirect(0), shape, type));
            }
        } catch (OrtException | RuntimeException e) {
            closeAll(past.values());
            throw e;
        }
        return past;
    }

    /** The present tensors themselves, renamed: no copy, they stay owned by the result. */
    private Map<String, OnnxTensor> presentAsPast(OrtSession.Result result) {
        Map<String, OnnxTensor> past = new HashMap<>();
        for (String name : pastNames()) {
            past.put(name, present(result, name));
        }
        return past;
    }

    private Map<String, OnnxTensor> heapCopy(OrtSession.Result result) throws OrtException {
        Map<String, OnnxTensor> past = new HashMap<>();
        try {
            for (String name : pastNames()) {
                OnnxTensor present = present(result, name);
                long[] shape = present.getInfo().getShape();
                // get*Buffer copies the native data into the heap; createTensor copies it back out
                past.put(
                        name,
                        spec.kvFp16()
                                ? OnnxTensor.createTensor(env, present.getShortBuffer(), shape, OnnxJavaType.FLOAT16)
                                : OnnxTensor.createTensor(env, present.getFloatBuffer(), shape));
            }
        } catch (OrtException | RuntimeException e) {
            closeAll(past.values());
            throw e;
        }
        return past;
    }

    private static OnnxTensor present(OrtSession.Result result, String pastName) {
        String name = pastName.replace("past_key_values.", "present.");
        OnnxValue value = result.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
        return (OnnxTensor) value;
    }

    private List<String> pastNames() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < spec.layers(); i++) {
            names.add("past_key_values." + i + ".key");
            names.add("past_key_values." + i + ".value");
        }
        return names;
    }

    private float[][] lastLogits(OrtSession.Result result, int batch, int seq, int[] rowIndex) {
        OnnxTensor logits = (OnnxTensor) result.get("logits").orElseThrow();
        FloatBuffer all = logits.getFloatBuffer();
        int vocab = spec.vocabSize();
        float[][] rows = new float[batch][vocab];
        for (int b = 0; b < batch; b++) {
            all.get((b * seq + rowIndex[b]) * vocab, rows[b]);
        }
        return rows;
    }

    private OnnxTensor longs(long[] values, int rows, int cols) throws OrtException {
        return OnnxTensor.createTensor(env, LongBuffer.wrap(values, 0, rows * cols), new long[] {rows, cols});
    }

    private static long[] flatten(long[][] rows) {
        int width = rows[0].length;
        long[] flat = new long[rows.length * width];
        for (int b = 0; b < rows.length; b++) {
            System.arraycopy(rows[b], 0, flat, b * width, width);
        }
        return flat;
    }

    /** The mask one token longer: the token just chosen is real for every row. */
    private static long[][] grow(long[][] mask) {
        long[][] longer = new long[mask.length][];
        for (int b = 0; b < mask.length; b++) {
            longer[b] = Arrays.copyOf(mask[b], mask[b].length + 1);
            longer[b][mask[b].length] = 1;
        }
        return longer;
    }

    private static void closeAll(Iterable<OnnxTensor> tensors) {
        for (OnnxTensor t : tensors) {
            t.close();
        }
    }
}
