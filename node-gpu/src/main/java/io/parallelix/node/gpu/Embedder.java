package io.parallelix.node.gpu;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * One embedding model's request path: tokenize, run the batches, pool each row over its real
 * tokens, cut to the asked dimensions and normalise. A vector depends on its own input alone:
 * pooling sums in token order, and the transformer's outputs at real positions do not change
 * with the padding beside them on the CPU provider (measured: EmbeddingBatchTest); deterministic
 * mode still runs each input alone where that was not shown (see docs/engine.md).
 */
final class Embedder implements AutoCloseable {
    private final EmbeddingInputs inputs;
    private final ModelRunner runner;
    private volatile int dimensions;

    Embedder(EmbeddingInputs inputs, ModelRunner runner) {
        this.inputs = inputs;
        this.runner = runner;
    }

    EmbeddingLayout layout() {
        return inputs.layout();
    }

    int vocabSize() {
        return inputs.vocabSize();
    }

    /** The model's vector size, known once a run has shown it (the load-time probe does). */
    int dimensions() {
        return dimensions;
    }

    EmbeddingResult embed(LoadedModel model, EmbeddingRequest request) throws InferenceException {
        long t0 = System.nanoTime();
        int[][] ids = inputs.tokenize(request);
        String inputsSha256 = EmbeddingInputs.inputsSha256(ids);
        long tokenize = System.nanoTime() - t0;
        float[][] vectors = new float[ids.length][];
        long wait = 0;
        long run = 0;
        long pool = 0;
        String provider = "";
        for (int[] batch : inputs.batches(ids)) {
            long t1 = System.nanoTime();
            List<InputTensor> tensors = inputs.tensors(ids, batch);
            tokenize += System.nanoTime() - t1;
            ModelRunner.Raw raw = runner.runRaw(
                    model,
                    new InferenceRequest(
                            request.requestId(),
                            model.name(),
                            tensors,
                            List.of(layout().output()),
                            request.deadline()));
            wait += raw.waitNanos();
            run += raw.tensorNanos() + raw.runNanos();
            provider = raw.provider();
            long t2 = System.nanoTime();
            pool(model, raw, ids, batch, vectors, request.dimensions());
            pool += System.nanoTime() - t2;
        }
        int[] counts = Arrays.stream(ids).mapToInt(a -> a.length).toArray();
        return new EmbeddingResult(
                List.of(vectors), counts, model.info().sha256(), inputsSha256, provider, wait, tokenize, run, pool);
    }

    private void pool(LoadedModel model, ModelRunner.Raw raw, int[][] ids, int[] batch, float[][] into, int asked)
            throws InferenceException {
        Safetensors.Tensor out = raw.outputs().tensors().get(0);
        List<Long> shape = out.shape();
        if (shape.size() != 3 || shape.get(0) != batch.length) {
            throw new InferenceException.ModelFailed(
                    "model '" + model.name() + "' gave token vectors of shape " + shape + " for a batch of "
                            + batch.length,
                    new IllegalStateException("unexpected output shape"));
        }
        int sequence = Math.toIntExact(shape.get(1));
        int size = Math.toIntExact(shape.get(2));
        dimensions = size;
        int keep = dimensions(model, asked, size);
        ByteBuffer hidden = out.data();
        for (int row = 0; row < batch.length; row++) {
            int index = batch[row];
            float[] v = Pooler.pool(hidden, sequence, size, row, ids[index].length, layout().pooling());
            float[] done = Pooler.finish(v, keep, layout().normalize() || keep != size);
            for (float x : done) {
                if (!Float.isFinite(x)) {
                    throw new InferenceException.ModelFailed(
                            "model '" + model.name() + "' gave a non-finite embedding value for input[" + index + "]",
                            new ArithmeticException("non-finite"));
                }
            }
            into[index] = done;
        }
    }

    private int dimensions(LoadedModel model, int asked, int size) throws InferenceException.InvalidInput {
        if (asked == 0 || asked == size) {
            return size;
        }
        if (asked < 0 || asked > size) {
            throw new InferenceException.InvalidInput(
                    "dimensions", "dimensions must be between 1 and " + size + " for model '" + model.name() + "'");
        }
        if (!layout().truncatableDimensions()) {
            throw new InferenceException.InvalidInput(
                    "dimensions",
                    "model '" + model.name() + "' gives " + size + " dimensions and was not trained to give fewer"
                            + " (embedding.truncatable_dimensions is off in its config.yaml)");
        }
        return asked;
    }

    @Override
    public void close() {
        inputs.close();
    }
}
