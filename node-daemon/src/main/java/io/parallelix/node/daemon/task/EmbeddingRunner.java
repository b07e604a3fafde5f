package io.parallelix.node.daemon.task;

import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.EmbeddingJson;
import io.parallelix.node.daemon.protocol.EmbeddingsRequest;
import io.parallelix.node.daemon.protocol.ResultRuntime;
import io.parallelix.node.daemon.service.TaskContext;
import io.parallelix.node.daemon.service.TaskOutput;
import io.parallelix.node.daemon.service.TaskRunner;
import io.parallelix.node.gpu.EmbeddingInfo;
import io.parallelix.node.gpu.EmbeddingInput;
import io.parallelix.node.gpu.EmbeddingRequest;
import io.parallelix.node.gpu.EmbeddingResult;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.ModelTask;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embeddings task: checks the request against its model (task, dimensions, token ids below
 * the vocabulary), runs it whole on the engine, checks what came back (one finite vector of the
 * asked size per input: anything else is the model's fault, 500), and writes the OpenAI body,
 * which is the signed result.
 */
public final class EmbeddingRunner implements TaskRunner<EmbeddingsRequest> {
    private static final Logger log = LoggerFactory.getLogger(EmbeddingRunner.class);

    private final Engine engine;

    public EmbeddingRunner(Engine engine) {
        this.engine = engine;
    }

    @Override
    public boolean answersWhole() {
        return true;
    }

    @Override
    public TaskOutput run(EmbeddingsRequest task, TaskContext context) throws InferenceException {
        ModelInfo model = context.model();
        EmbeddingInfo info = embedding(model);
        int dims = dimensions(task, info);
        checkTokenIds(task, info);
        context.cancellation().throwIfCancelled();
        EmbeddingResult r;
        try {
            r = engine.embed(new EmbeddingRequest(
                    task.requestId(), model.name(), task.inputs(), task.truncate(), dims, context.deadline()));
        } catch (InferenceException.InvalidInput e) { // "input[0]" is "input" when input was one value
            throw task.single() && e.field().startsWith("input[0]")
                    ? new InferenceException.InvalidInput(
                            "input" + e.field().substring(8),
                            String.valueOf(e.getMessage()).replace("input[0]", "input"))
                    : e;
        }
        long encodeStart = System.nanoTime();
        byte[] body = body(task, model, r, dims == 0 ? info.dimensions() : dims, context.runtime());
        long encode = r.poolNanos() + System.nanoTime() - encodeStart;
        return new TaskOutput(
                body,
                EmbeddingJson.RESULT_FORMAT,
                r.modelSha256(),
                r.inputsSha256(),
                new TaskOutput.EngineNanos(r.waitNanos(), r.tokenizeNanos(), r.runNanos(), encode));
    }

    private static EmbeddingInfo embedding(ModelInfo model) {
        EmbeddingInfo info = model.embedding();
        if (model.task() != ModelTask.EMBEDDING || info == null) {
            throw new ApiException.BadRequest(
                    "model",
                    "model '" + model.name() + "' is a " + model.task().wireName()
                            + " model; /v1/embeddings needs an embedding model (see GET /v1/models)");
        }
        return info;
    }

    /** What the engine is asked for: 0 for the model's own size. */
    private static int dimensions(EmbeddingsRequest task, EmbeddingInfo info) {
        int asked = task.dimensions();
        if (asked == 0 || asked == info.dimensions()) {
            return 0;
        }
        if (!info.truncatableDimensions()) {
            throw new ApiException.BadRequest(
                    "dimensions",
                    "this model makes " + info.dimensions() + "-dimensional vectors and cannot shorten them; leave"
                            + " dimensions out or set it to " + info.dimensions());
        }
        if (asked > info.dimensions()) {
            throw new ApiException.BadRequest(
                    "dimensions", "must be at most the model's " + info.dimensions() + ", got " + asked);
        }
        return asked;
    }

    private static void checkTokenIds(EmbeddingsRequest task, EmbeddingInfo info) {
        List<EmbeddingInput> inputs = task.inputs();
        for (int i = 0; i < inputs.size(); i++) {
            if (inputs.get(i) instanceof EmbeddingInput.Tokens t) {
                int[] ids = t.ids();
                for (int j = 0; j < ids.length; j++) {
                    if (ids[j] >= info.vocabSize()) {
                        throw new ApiException.BadRequest(
                                task.field(i) + "[" + j + "]",
                                "token id " + ids[j] + " is not below the model's vocabulary size " + info.vocabSize());
                    }
                }
            }
        }
    }

    private static byte[] body(
            EmbeddingsRequest task, ModelInfo model, EmbeddingResult r, int dims, ResultRuntime runtime) {
        List<float[]> vectors = r.vectors();
        String fault = vectors.size() != task.inputs().size()
                ? vectors.size() + " vectors for " + task.inputs().size() + " inputs"
                : null;
        for (int i = 0; fault == null && i < vectors.size(); i++) {
            fault = vectors.get(i).length != dims ? "vector " + i + " has " + vectors.get(i).length + " values" : null;
        }
        try {
            if (fault == null) {
                return EmbeddingJson.write(model.name(), vectors, task.encoding(), r.promptTokens(), runtime);
            }
        } catch (IllegalArgumentException nonFinite) {
            fault = String.valueOf(nonFinite.getMessage());
        }
        log.warn("request_id={} model={} bad embedding output: {}", task.requestId(), model.name(), fault);
        throw new ApiException.Internal(
                "model_failed", "model '" + model.name() + "' produced an invalid embedding: " + fault, null);
    }
}
