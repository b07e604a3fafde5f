package io.parallelix.node.daemon.service;

import io.parallelix.node.crypto.PoeVersion;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.SignedResult;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.error.Messages;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.EnvelopeMeta;
import io.parallelix.node.daemon.protocol.ResultRuntime;
import io.parallelix.node.daemon.protocol.StageTimings;
import io.parallelix.node.daemon.protocol.Task;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.ModelTask;
import io.parallelix.node.gpu.RuntimeFingerprint;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The corridor below HTTP, the same for every kind of task: admit (bounded per model) → decode →
 * replay and pin checks → the kind's runner → PoE + signature → signed answer. Runs on the worker
 * executor, or, for short whole answers ({@link InlineRuns}), on the event loop that submitted it.
 * Every admitted task completes its future exactly once.
 */
public final class InferenceService implements TaskService {
    private static final Logger log = LoggerFactory.getLogger(InferenceService.class);

    /** What the service is built from; the composition root wires it. */
    public record Parts(
            Engine engine,
            ResultSigner signer,
            NodeMetrics metrics,
            Executor workers,
            Clock clock,
            ServiceLimits limits,
            ReplayGuard replay) {}

    private final Engine engine;
    private final ResultSigner signer;
    private final NodeMetrics metrics;
    private final Executor workers;
    private final Clock clock;
    private final ServiceLimits limits;
    private final ReplayGuard replay;
    private final Admission admission;
    private final InlineRuns inline;
    private final RuntimeFingerprint fingerprint;

    public InferenceService(Parts parts) {
        this.engine = parts.engine();
        this.signer = parts.signer();
        this.metrics = parts.metrics();
        this.workers = parts.workers();
        this.clock = parts.clock();
        this.limits = parts.limits();
        this.replay = parts.replay();
        this.fingerprint = engine.fingerprint();
        this.admission =
                new Admission(engine.models().stream().map(ModelInfo::name).toList(), limits.queueCapacity());
        this.inline = new InlineRuns(limits.inlineMax(), engine.models());
    }

    @Override
    public <T extends Task> CompletableFuture<SignedAnswer> submit(Submission<T> submission) {
        long accepted = System.nanoTime();
        // the one check that the model exists: everything below may rely on it
        ModelInfo model = engine.model(submission.model())
                .orElseThrow(
                        () -> new ApiException.NotFound("unknown model '" + Messages.clip(submission.model()) + "'"));
        Instant deadline = clock.instant()
                .plus(model.task() == ModelTask.GENERATION ? limits.generationTimeout() : limits.requestTimeout());
        admission.admit(model.name()); // throws Overloaded
        metrics.inFlight(1);
        metrics.queueDepth(model.name(), admission.depth(model.name()));
        CompletableFuture<SignedAnswer> answer = new CompletableFuture<>();
        Admitted<T> admitted = new Admitted<>(submission, model, accepted, deadline);
        if (inline.allows(model.name(), submission)) {
            metrics.inline(model.name());
            run(admitted, answer, false); // here, on the caller's event loop: short and whole (InlineRuns)
            return answer;
        }
        boolean counted = inline.toWorker(model.name(), submission);
        try {
            workers.execute(() -> run(admitted, answer, counted));
        } catch (RuntimeException e) { // the executor's queue is sized so this cannot happen; stay safe
            if (counted) {
                inline.leftWorker(model.name());
            }
            release(model.name());
            throw new ApiException.Overloaded("worker queue full", 1);
        }
        return answer;
    }

    private record Admitted<T extends Task>(
            Submission<T> submission, ModelInfo model, long accepted, Instant deadline) {}

    /**
     * Runs one admitted task. Its admission is released before its future completes: a client
     * that sends its next request the moment it has this answer must find the slot free.
     */
    private <T extends Task> void run(Admitted<T> a, CompletableFuture<SignedAnswer> answer, boolean countedOnWorker) {
        SignedAnswer signed = null;
        ApiException failure = null;
        try {
            signed = execute(a);
        } catch (ApiException e) {
            failure = e;
        } finally {
            if (countedOnWorker) {
                inline.leftWorker(a.model().name());
            }
            release(a.model().name());
        }
        if (signed != null) {
            answer.complete(signed);
        } else {
            answer.completeExceptionally(Objects.requireNonNull(failure));
        }
    }

    /** The corridor of one task on its worker; every failure leaves as an ApiException. */
    private <T extends Task> SignedAnswer execute(Admitted<T> a) {
        String model = a.model().name();
        String requestId = null;
        try {
            long started = System.nanoTime();
            Submission<T> s = a.submission();
            long timed = inline.start(model, s);
            s.cancellation().throwIfCancelled();
            if (clock.instant().isAfter(a.deadline())) {
                throw new ApiException.DeadlineExceeded("deadline passed while queued");
            }
            T task = s.decoder().get();
            claim(task.requestId());
            requestId = task.requestId();
            checkPin(task, a.model());
            PoeVersion poeVersion = poeVersion(s.poeVersion(), task.poeVersion());
            long decoded = System.nanoTime();
            RecordingSink sink = new RecordingSink(s.sink(), s.cancellation());
            TaskOutput out = s.runner()
                    .run(task, new TaskContext(a.model(), a.deadline(), s.cancellation(), sink, runtime(a.model())));
            byte[] result = sink.finish(out.result());
            long ran = System.nanoTime();
            inline.finish(model, s, timed); // before the signature: it costs the same on a worker
            SignedResult signed = signer.sign(requestId, result, poeVersion);
            long done = System.nanoTime();
            StageTimings timings =
                    timings(out.nanos(), started - a.accepted(), decoded - started, done - ran, done - a.accepted());
            metrics.stages(model, timings);
            metrics.answered(model, task);
            EnvelopeMeta meta = new EnvelopeMeta(
                    model, out.modelSha256(), out.inputsSha256(), timings, fingerprint, signer.providerDescription());
            return new SignedAnswer(requestId, result, out.resultFormat(), signed, meta, sink.streamed(), out.usage());
        } catch (ApiException e) {
            throw failed(e, requestId);
        } catch (InferenceException e) {
            throw failed(EngineErrors.toApi(e, model, requestId), requestId);
        } catch (RuntimeException | Error e) { // a node fault: log it whole, answer without details
            log.error("request_id={} model={} internal error", requestId, model, e);
            throw failed(new ApiException.Internal("internal_error", "internal error", e), requestId);
        }
    }

    /** The model's own fingerprint (its provider, threads) and this node's signer. */
    private ResultRuntime runtime(ModelInfo model) {
        return new ResultRuntime(
                engine.fingerprint(model.name()).orElse(fingerprint),
                signer.providerDescription(),
                signer.sigAlg().wireName());
    }

    private void claim(String requestId) {
        try {
            replay.claim(requestId);
        } catch (ApiException.Conflict replayed) { // the first claim stands: do not forget it
            throw replayed.withRequestId(requestId);
        }
    }

    /** The layout asked for by header or body (the same, when both ask), else the default. */
    private static PoeVersion poeVersion(@Nullable PoeVersion header, @Nullable PoeVersion body) {
        if (header != null && body != null && header != body) {
            throw new ApiException.BadRequest(
                    "parameters.poe_version",
                    "is " + body.number() + " but header " + SignedHeaders.POE_VERSION + " asks for "
                            + header.number());
        }
        return body != null ? body : header != null ? header : PoeVersion.DEFAULT;
    }

    private static void checkPin(Task task, ModelInfo model) {
        String pin = task.modelSha256();
        if (pin != null && !pin.equals(model.sha256())) {
            throw new ApiException.Conflict(
                    "model_pin_mismatch",
                    "model '" + model.name() + "' here has sha256 " + model.sha256() + ", the request pins " + pin);
        }
    }

    /** A failed task may be retried with its id; the error names the request when it is known. */
    private ApiException failed(ApiException e, @Nullable String requestId) {
        if (requestId == null) {
            return e;
        }
        replay.forget(requestId);
        return e.withRequestId(requestId);
    }

    private static StageTimings timings(TaskOutput.EngineNanos n, long queue, long decode, long sign, long total) {
        return new StageTimings(
                micros(queue),
                micros(decode),
                micros(n.instanceWait()),
                micros(n.tensor()),
                micros(n.run()),
                micros(n.encode()),
                micros(sign),
                micros(total));
    }

    private static long micros(long nanos) {
        return nanos / 1_000;
    }

    private void release(String model) {
        admission.release(model);
        metrics.inFlight(-1);
        metrics.queueDepth(model, admission.depth(model));
    }

    @Override
    public void beginDrain() {
        admission.close();
    }

    @Override
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        return admission.awaitEmpty(timeoutMillis);
    }

    @Override
    public boolean draining() {
        return admission.closed();
    }

    @Override
    public int inFlight() {
        return admission.total();
    }
}
