package io.parallelix.node.daemon.task;

import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.CompletionsRequest;
import io.parallelix.node.daemon.protocol.CompletionsRequest.Api;
import io.parallelix.node.daemon.protocol.GenerationJson;
import io.parallelix.node.daemon.protocol.TokenUsage;
import io.parallelix.node.daemon.service.TaskContext;
import io.parallelix.node.daemon.service.TaskOutput;
import io.parallelix.node.daemon.service.TaskRunner;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.GenerationInfo;
import io.parallelix.node.gpu.GenerationInput;
import io.parallelix.node.gpu.GenerationRequest;
import io.parallelix.node.gpu.GenerationResult;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.ModelTask;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The completions and chat completions task: checks the request against its model (a generation
 * model, a chat template for chat, max_tokens within the model's bound, token ids below the
 * vocabulary), runs the decode loop on the engine with a listener that ends it within one token
 * once the client is gone or the deadline passed, and writes the answer: the whole OpenAI body
 * (the signed result), or, streamed, one event per token through the sink as it comes, and the
 * usage event as the last piece.
 */
public final class GenerationRunner implements TaskRunner<CompletionsRequest> {
    /** OpenAI's and vLLM's max_tokens when a completion does not ask. */
    static final int COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

    private static final Logger log = LoggerFactory.getLogger(GenerationRunner.class);

    private final Engine engine;
    private final NodeMetrics metrics;
    private final Clock clock;

    public GenerationRunner(Engine engine, NodeMetrics metrics, Clock clock) {
        this.engine = engine;
        this.metrics = metrics;
        this.clock = clock;
    }

    @Override
    public TaskOutput run(CompletionsRequest task, TaskContext context) throws InferenceException {
        ModelInfo model = context.model();
        GenerationInfo info = generation(model, task.api());
        int maxTokens = maxTokens(task, info);
        checkTokenIds(task, info);
        context.cancellation().throwIfCancelled();
        GenerationJson.Head head = GenerationJson.Head.of(task, clock.instant().getEpochSecond(), context.runtime());
        TokenListener listener = task.stream()
                ? new StreamEvents(head, context, metrics, clock)
                : new TokenListener(context, metrics, clock);
        GenerationRequest request = new GenerationRequest(
                task.requestId(),
                model.name(),
                task.input(),
                task.sampling(),
                maxTokens,
                task.n(),
                task.stop(),
                context.deadline());
        GenerationResult r;
        metrics.activeSequences(model.name(), 1);
        try {
            r = engine.generate(request, listener);
        } catch (InferenceException.InvalidInput e) { // chat names it max_completion_tokens
            throw e.field().equals("max_tokens") && !task.maxTokensField().equals("max_tokens")
                    ? new InferenceException.InvalidInput(task.maxTokensField(), String.valueOf(e.getMessage()))
                    : e;
        } finally {
            metrics.activeSequences(model.name(), -1);
        }
        check(task, model, r, listener);
        long encodeStart = System.nanoTime();
        byte[] result;
        try {
            result = task.stream()
                    ? ((StreamEvents) listener).last(r)
                    : GenerationJson.whole(head, r, listener.offsets());
        } catch (IllegalArgumentException nan) {
            throw new ApiException.Internal(
                    "model_failed",
                    "model '" + model.name() + "' produced an invalid logprob: " + nan.getMessage(),
                    null);
        }
        long encode = System.nanoTime() - encodeStart;
        return new TaskOutput(
                result,
                GenerationJson.resultFormat(task.api(), task.stream()),
                r.modelSha256(),
                inputsSha256(r.promptIds()),
                new TaskOutput.EngineNanos(r.waitNanos(), r.loopNanos(), r.prefillNanos() + r.decodeNanos(), encode),
                new TokenUsage(r.promptIds().length, r.completionTokens()));
    }

    /** The model's generation facts, or 400 (model) when it cannot serve this API; the verifier asks too. */
    public static GenerationInfo generation(ModelInfo model, Api api) {
        GenerationInfo info = model.generation();
        String path = api == Api.CHAT ? "/v1/chat/completions" : "/v1/completions";
        if (model.task() != ModelTask.GENERATION || info == null) {
            String kind = model.task().wireName();
            throw new ApiException.BadRequest(
                    "model",
                    "model '" + model.name() + "' is " + (kind.startsWith("e") ? "an " : "a ") + kind + " model; "
                            + path + " needs a generation model (see GET /v1/models)");
        }
        if (api == Api.CHAT && !info.chatTemplate()) {
            throw new ApiException.BadRequest(
                    "model", "model '" + model.name() + "' has no chat template; use /v1/completions with a prompt");
        }
        return info;
    }

    /** The asked max_tokens within the model's bound; else OpenAI's 16 for completions, the model's bound for chat. */
    public static int maxTokens(CompletionsRequest task, GenerationInfo info) {
        int asked = task.maxTokens();
        if (asked > info.maxNewTokens()) {
            throw new ApiException.BadRequest(
                    task.maxTokensField(),
                    "must be at most this model's " + info.maxNewTokens() + " tokens per choice, got " + asked);
        }
        if (asked > 0) {
            return asked;
        }
        return task.api() == Api.CHAT
                ? info.maxNewTokens()
                : Math.min(COMPLETIONS_DEFAULT_MAX_TOKENS, info.maxNewTokens());
    }

    private static void checkTokenIds(CompletionsRequest task, GenerationInfo info) {
        if (task.input() instanceof GenerationInput.Tokens t) {
            int[] ids = t.ids();
            for (int j = 0; j < ids.length; j++) {
                if (ids[j] >= info.vocabSize()) {
                    throw new ApiException.BadRequest(
                            "prompt[" + j + "]",
                            "token id " + ids[j] + " is not below the model's vocabulary size " + info.vocabSize());
                }
            }
        }
    }

    /** What the engine promised: n choices in order, each token reported once. Anything else is its fault. */
    private static void check(CompletionsRequest task, ModelInfo model, GenerationResult r, TokenListener listener) {
        String fault = r.choices().size() != task.n() ? r.choices().size() + " choices for n = " + task.n() : null;
        for (int c = 0; fault == null && c < r.choices().size(); c++) {
            GenerationResult.Choice choice = r.choices().get(c);
            if (choice.index() != c || choice.tokenIds().length != listener.tokens(c)) {
                fault = "choice " + c + " has index " + choice.index() + " and " + choice.tokenIds().length
                        + " tokens, " + listener.tokens(c) + " reported";
            } else if (choice.finish() == null) {
                fault = "choice " + c + " has no finish reason";
            }
        }
        if (fault != null) {
            log.warn("request_id={} model={} bad generation output: {}", task.requestId(), model.name(), fault);
            throw new ApiException.Internal(
                    "model_failed", "model '" + model.name() + "' produced an invalid generation: " + fault, null);
        }
    }

    /** SHA-256 of the prompt's ids as the embeddings' inputs_sha256 hashes one input: LE int32 count, then each id. */
    static String inputsSha256(int[] ids) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            ByteBuffer b = ByteBuffer.allocate(4 * (ids.length + 1)).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(ids.length);
            for (int id : ids) {
                b.putInt(id);
            }
            return HexFormat.of().formatHex(sha.digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
