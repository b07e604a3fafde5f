package io.parallelix.node.daemon.service;

import io.parallelix.node.crypto.ProofOfExecution;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SignedResult;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.DecodedRequest;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.EnvelopeMeta;
import io.parallelix.node.daemon.protocol.InferRequestDecoder;
import io.parallelix.node.daemon.protocol.StageTimings;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.InferenceRequest;
import io.parallelix.node.gpu.InferenceResult;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.RuntimeFingerprint;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request corridor below HTTP: admit (bounded per model) → decode → engine run → PoE + sign →
 * envelope. Runs on the worker executor, never on an event loop. Every admitted request completes
 * its future exactly once, with an envelope or an {@link ApiException}.
 */
public final class InferenceService {
    private static final Logger log = LoggerFactory.getLogger(InferenceService.class);

    private final InferenceEngine engine;
    private final ResultSigner signer;
    private final InferRequestDecoder decoder;
    private final NodeMetrics metrics;
    private final Admission admission;
    private final Executor workers;
    private final Clock clock;
    private final ServiceLimits limits;
    private final ReplayGuard replay;
    private final RuntimeFingerprint fingerprint;

    public InferenceService(
            InferenceEngine engine,
            ResultSigner signer,
            InferRequestDecoder decoder,
            NodeMetrics metrics,
            Executor workers,
            Clock clock,
            ServiceLimits limits,
            ReplayGuard replay) {
        this.engine = engine;
        this.signer = signer;
        this.decoder = decoder;
        this.metrics = metrics;
        this.workers = workers;
        this.clock = clock;
        this.limits = limits;
        this.replay = replay;
        this.fingerprint = engine.fingerprint();
        this.admission =
                new Admission(engine.models().stream().map(ModelInfo::name).toList(), limits.queueCapacity());
    }

    /**
     * Admits the request or fails at once (unknown model 404, queue full or draining 503); called
     * on an event loop, so it only counts and hands off.
     */
    public CompletableFuture<Envelope> infer(String model, byte[] body, int jsonLength) {
        long accepted = System.nanoTime();
        Instant deadline = clock.instant().plus(limits.requestTimeout());
        ModelInfo info =
                engine.model(model).orElseThrow(() -> new ApiException.NotFound("unknown model '" + model + "'"));
        admission.admit(model); // throws Overloaded
        metrics.inFlight(1);
        metrics.queueDepth(model, admission.depth(model));
        CompletableFuture<Envelope> result = new CompletableFuture<>();
        try {
            workers.execute(() -> run(info, body, jsonLength, accepted, deadline, result));
        } catch (RuntimeException e) { // the executor's queue is sized so this cannot happen; stay safe
            release(model);
            throw new ApiException.Overloaded("worker queue full", 1);
        }
        return result;
    }

    private void run(
            ModelInfo info,
            byte[] body,
            int jsonLength,
            long accepted,
            Instant deadline,
            CompletableFuture<Envelope> out) {
        String model = info.name();
        String requestId = null;
        try {
            long started = System.nanoTime();
            if (clock.instant().isAfter(deadline)) {
                throw new ApiException.DeadlineExceeded("deadline passed while queued");
            }
            DecodedRequest request = decoder.decode(body, jsonLength);
            try {
                replay.claim(request.requestId());
            } catch (ApiException.Conflict replayed) { // the first claim stands: do not forget it
                throw replayed.withRequestId(request.requestId());
            }
            requestId = request.requestId();
            if (request.modelSha256() != null && !request.modelSha256().equals(info.sha256())) {
                throw new ApiException.Conflict(
                        "model_pin_mismatch",
                        "model '" + model + "' here has sha256 " + info.sha256() + ", the request pins "
                                + request.modelSha256());
            }
            long decoded = System.nanoTime();
            InferenceResult result = engine.infer(
                    new InferenceRequest(request.requestId(), model, request.inputs(), request.outputs(), deadline));
            long ran = System.nanoTime();
            SignedResult signed = signer.sign(request.requestId(), result.safetensors());
            long done = System.nanoTime();
            StageTimings timings = new StageTimings(
                    micros(started - accepted),
                    micros(decoded - started),
                    micros(result.waitNanos()),
                    micros(result.tensorNanos()),
                    micros(result.runNanos()),
                    micros(result.encodeNanos()),
                    micros(done - ran),
                    micros(done - accepted));
            observe(model, started - accepted, decoded - started, result, done - ran, done - accepted);
            out.complete(new Envelope(
                    request.requestId(),
                    signed.nodeId().hex(),
                    result.safetensors(),
                    Envelope.RESULT_FORMAT,
                    HexFormat.of().formatHex(signed.poe()),
                    signed.sig(),
                    signed.sigAlg().wireName(),
                    ProofOfExecution.VERSION,
                    new EnvelopeMeta(
                            model,
                            result.modelSha256(),
                            result.inputsSha256(),
                            timings,
                            fingerprint,
                            signer.providerDescription())));
        } catch (ApiException e) {
            forgetClaim(requestId);
            out.completeExceptionally(requestId == null ? e : e.withRequestId(requestId));
        } catch (InferenceException e) {
            forgetClaim(requestId);
            out.completeExceptionally(EngineErrors.toApi(e, model, requestId));
        } catch (RuntimeException | Error e) { // a node fault: log it whole, answer without details
            forgetClaim(requestId);
            log.error("request_id={} model={} internal error", requestId, model, e);
            ApiException.Internal internal = new ApiException.Internal("internal_error", "internal error", e);
            out.completeExceptionally(requestId == null ? internal : internal.withRequestId(requestId));
        } finally {
            release(model);
        }
    }

    /** A failed request may be retried with its id. */
    private void forgetClaim(@Nullable String requestId) {
        if (requestId != null) {
            replay.forget(requestId);
        }
    }

    private void release(String model) {
        admission.release(model);
        metrics.inFlight(-1);
        metrics.queueDepth(model, admission.depth(model));
    }

    private void observe(String model, long queue, long decode, InferenceResult r, long sign, long total) {
        metrics.stage(model, "queue", queue);
        metrics.stage(model, "decode", decode);
        metrics.stage(model, "instance_wait", r.waitNanos());
        metrics.stage(model, "tensor", r.tensorNanos());
        metrics.stage(model, "run", r.runNanos());
        metrics.stage(model, "encode", r.encodeNanos());
        metrics.stage(model, "sign", sign);
        metrics.stage(model, "total", total);
    }

    private static long micros(long nanos) {
        return nanos / 1_000;
    }

    /** From now on every new request is refused with 503; those admitted still complete. */
    public void beginDrain() {
        admission.close();
    }

    /** Waits until no admitted request is left, at most {@code timeoutMillis}; true if idle. */
    public boolean awaitIdle(long timeoutMillis) throws InterruptedException {
        return admission.awaitEmpty(timeoutMillis);
    }

    public boolean draining() {
        return admission.closed();
    }

    public int inFlight() {
        return admission.total();
    }
}
