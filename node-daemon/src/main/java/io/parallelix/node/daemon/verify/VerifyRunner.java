package io.parallelix.node.daemon.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.protocol.CompletionsRequest;
import io.parallelix.node.daemon.protocol.CompletionsRequest.Api;
import io.parallelix.node.daemon.protocol.DecodedRequest;
import io.parallelix.node.daemon.protocol.EmbeddingJson;
import io.parallelix.node.daemon.protocol.EmbeddingsDecoder;
import io.parallelix.node.daemon.protocol.EmbeddingsRequest;
import io.parallelix.node.daemon.protocol.Envelope;
import io.parallelix.node.daemon.protocol.GenerationDecoder;
import io.parallelix.node.daemon.protocol.GenerationJson;
import io.parallelix.node.daemon.protocol.InferRequestDecoder;
import io.parallelix.node.daemon.protocol.ResultRuntime;
import io.parallelix.node.daemon.service.TaskContext;
import io.parallelix.node.daemon.service.TaskOutput;
import io.parallelix.node.daemon.service.TaskRunner;
import io.parallelix.node.daemon.task.EmbeddingRunner;
import io.parallelix.node.daemon.task.GenerationRunner;
import io.parallelix.node.daemon.task.TensorRunner;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.GenerationInfo;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.Safetensors;
import io.parallelix.node.gpu.verify.CheckResult;
import io.parallelix.node.gpu.verify.EmbeddingComparison;
import io.parallelix.node.gpu.verify.GenerationClaim;
import io.parallelix.node.gpu.verify.TensorComparison;
import io.parallelix.node.gpu.verify.Verification;
import io.parallelix.node.gpu.verify.VerifyPolicy;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The verify task (docs/verification.md): (1) the claimer's PoE and signature with its key; (2)
 * the result read back as its format says; (3) the claim re-executed on this node's model: tensors
 * and embeddings re-run by the same runners that answer them and compared under the policy,
 * generations teacher-forced by the engine (one prefill, no re-generation); (4) the verdict, which
 * the service signs with this node's key like any result. A claim that fails a check is a verdict
 * (reject), not an error; an error is only what keeps this node from checking (a bad verify
 * request, a request this node's model cannot run).
 */
public final class VerifyRunner implements TaskRunner<VerifyRequest> {
    /** What re-execution needs: the engine, the request decoders and the runners of each kind. */
    public record Parts(
            Engine engine,
            ObjectMapper mapper,
            EnvelopeVerifier verifier,
            InferRequestDecoder tensors,
            TensorRunner tensorRunner,
            EmbeddingsDecoder embeddings,
            EmbeddingRunner embeddingRunner,
            GenerationDecoder generations,
            VerifyPolicy policy) {}

    private final Parts parts;

    public VerifyRunner(Parts parts) {
        this.parts = parts;
    }

    @Override
    public TaskOutput run(VerifyRequest task, TaskContext context) throws InferenceException {
        long start = System.nanoTime();
        ModelInfo model = context.model();
        SignedClaim signed = SignedClaim.check(parts.verifier(), task.answer(), task.claimerKey());
        Checks checks = new Checks();
        checks.add(
                signed.verdict().valid()
                        ? CheckResult.pass("signature", "PoE and signature hold for node " + signed.nodeId(), Map.of())
                        : CheckResult.fail(
                                "signature",
                                signed.verdict().failed() + ": "
                                        + signed.verdict().detail(),
                                Map.of()));
        if (signed.verdict().valid()) {
            try {
                recheck(task, context, signed, checks);
            } catch (Claims.Malformed m) {
                checks.add(CheckResult.fail("result", String.valueOf(m.getMessage()), Map.of()));
            }
        }
        long encodeStart = System.nanoTime();
        byte[] verdict = VerdictJson.write(
                parts.mapper(),
                new VerdictJson.Claim(
                        task.kind().path(),
                        signed.requestId(),
                        signed.nodeId(),
                        signed.resultFormat(),
                        sha256(signed.result()),
                        checks.claimedModel),
                new VerdictJson.Verifier(model.name(), model.sha256(), context.runtime()),
                checks.exact,
                checks.list,
                parts.policy(),
                checks.workNanos,
                encodeStart - start);
        return new TaskOutput(
                verdict,
                VerdictJson.RESULT_FORMAT,
                model.sha256(),
                sha256(signed.result()),
                new TaskOutput.EngineNanos(0, 0, checks.workNanos, System.nanoTime() - encodeStart));
    }

    /** The checks so far and what the verdict reports beside them. */
    private static final class Checks {
        final List<CheckResult> list = new ArrayList<>();

        @Nullable
        String claimedModel;

        boolean exact;
        long workNanos;

        void add(CheckResult c) {
            list.add(c);
        }
    }

    private void recheck(VerifyRequest task, TaskContext context, SignedClaim signed, Checks checks)
            throws InferenceException, Claims.Malformed {
        ModelInfo model = context.model();
        if (!format(task.kind(), signed.resultFormat())) {
            checks.add(CheckResult.fail(
                    "format",
                    "a " + task.kind().path() + " answer cannot have result format \"" + signed.resultFormat() + "\"",
                    Map.of()));
            return;
        }
        switch (task.kind()) {
            case INFER -> tensors(task, context, signed, checks);
            case EMBEDDINGS -> embeddings(task, context, signed, checks);
            case COMPLETIONS, CHAT -> generation(task, context, signed, checks);
        }
    }

    private static boolean format(VerifyRequest.Kind kind, String format) {
        return switch (kind) {
            case INFER -> format.equals(Envelope.RESULT_FORMAT);
            case EMBEDDINGS -> format.equals(EmbeddingJson.RESULT_FORMAT);
            case COMPLETIONS ->
                format.equals(GenerationJson.resultFormat(Api.COMPLETIONS, false))
                        || format.equals(GenerationJson.resultFormat(Api.COMPLETIONS, true));
            case CHAT ->
                format.equals(GenerationJson.resultFormat(Api.CHAT, false))
                        || format.equals(GenerationJson.resultFormat(Api.CHAT, true));
        };
    }

    private void tensors(VerifyRequest task, TaskContext context, SignedClaim signed, Checks checks)
            throws InferenceException, Claims.Malformed {
        DecodedRequest request = nested(() -> parts.tensors().decode(task.request(), task.request().length));
        if (!request.requestId().equals(signed.requestId())) {
            checks.add(CheckResult.fail(
                    "request",
                    "the answer is for request \"" + signed.requestId() + "\", the request's id is \""
                            + request.requestId() + "\"",
                    Map.of()));
            return;
        }
        Safetensors.File claimed = safetensors(signed.result());
        if (!model(checks, claimed.metadata().get("pxnode.model_sha256"), context.model())) {
            return;
        }
        exact(checks, claimed.metadata(), context);
        TaskOutput mine = rerun(() -> parts.tensorRunner().run(request, context));
        checks.workNanos = mine.nanos().run();
        checks.list.addAll(TensorComparison.compare(
                claimed, safetensors(mine.result()), parts.policy().tensors(), checks.exact));
    }

    private void embeddings(VerifyRequest task, TaskContext context, SignedClaim signed, Checks checks)
            throws InferenceException, Claims.Malformed {
        EmbeddingsRequest request = nested(() -> parts.embeddings()
                .decode(task.request(), signed.requestId(), context.model().name()));
        var claimedBody = Claims.json(parts.mapper(), signed.result());
        if (!model(checks, Claims.modelSha256(claimedBody), context.model())) {
            return;
        }
        List<float[]> claimed = Claims.embeddings(claimedBody);
        exact(checks, Claims.runtime(claimedBody), context);
        TaskOutput mine = rerun(() -> parts.embeddingRunner().run(request, context));
        checks.workNanos = mine.nanos().run();
        List<float[]> vectors = Claims.embeddings(Claims.json(parts.mapper(), mine.result()));
        checks.add(EmbeddingComparison.compare(claimed, vectors, parts.policy().embeddings(), checks.exact));
    }

    @SuppressWarnings("NullAway") // GenerationClaim's promptIds is int @Nullable []: NullAway misses it on a record
    private void generation(VerifyRequest task, TaskContext context, SignedClaim signed, Checks checks)
            throws InferenceException, Claims.Malformed {
        Api api = task.kind() == VerifyRequest.Kind.CHAT ? Api.CHAT : Api.COMPLETIONS;
        ModelInfo model = context.model();
        CompletionsRequest request =
                nested(() -> parts.generations().decode(task.request(), signed.requestId(), model.name(), api));
        GenerationInfo info = GenerationRunner.generation(model, api);
        int maxTokens = nested(() -> GenerationRunner.maxTokens(request, info));
        boolean stream = signed.resultFormat().endsWith("+sse");
        if (stream != request.stream()) {
            checks.add(CheckResult.fail(
                    "format",
                    "the request asked for " + (request.stream() ? "a stream" : "a whole answer") + ", the answer is "
                            + (stream ? "a stream" : "whole"),
                    Map.of()));
            return;
        }
        Claims.Generation g = stream
                ? Claims.stream(parts.mapper(), signed.result(), api == Api.CHAT)
                : Claims.whole(Claims.json(parts.mapper(), signed.result()), api == Api.CHAT);
        if (!model(checks, g.modelSha256(), model)) {
            return;
        }
        if (g.choices().size() != request.n()) {
            checks.add(CheckResult.fail(
                    "choices",
                    "the request asked for " + request.n() + " choices, the answer has "
                            + g.choices().size(),
                    Map.of("asked", request.n(), "claimed", g.choices().size())));
            return;
        }
        for (int i = 0; i < g.choices().size(); i++) {
            if (g.choices().get(i).index() != i) {
                checks.add(CheckResult.fail("choices", "the answer has no choice " + i, Map.of()));
                return;
            }
        }
        exact(checks, g.runtime(), context);
        Verification v = rerun(() -> parts.engine()
                .checkGeneration(
                        new GenerationClaim(
                                signed.requestId(),
                                model.name(),
                                request.input(),
                                request.sampling(),
                                maxTokens,
                                request.stop(),
                                g.promptIds(),
                                g.choices(),
                                context.deadline()),
                        parts.policy().generations()));
        checks.workNanos = v.workNanos();
        checks.list.addAll(v.checks());
    }
    /**
     * Whether bitwise equality is required: the policy asks for it when both runtime fingerprints
     * (signed in the results) say the same computation (signing aside) and it was deterministic.
     * A "runtime" check reports which facts differ; it never fails: differing honest nodes are
     * what the tolerances are for.
     */
    private void exact(Checks checks, Map<String, String> claimedMetadata, TaskContext context) {
        Map<String, String> claimed = ResultRuntime.computed(claimedMetadata);
        Map<String, String> mine = ResultRuntime.computed(context.runtime().metadata());
        List<String> differ = new ArrayList<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(claimed.keySet());
        keys.addAll(mine.keySet());
        for (String k : keys) {
            if (!java.util.Objects.equals(claimed.get(k), mine.get(k))) {
                differ.add(k.substring(ResultRuntime.METADATA_PREFIX.length()));
            }
        }
        boolean deterministic =
                "true".equals(claimed.get("pxnode.deterministic")) && "true".equals(mine.get("pxnode.deterministic"));
        checks.exact = parts.policy().exactWhenSameFingerprint() && differ.isEmpty() && deterministic;
        String detail = claimed.isEmpty()
                ? "the answer carries no runtime fingerprint: tolerances apply"
                : checks.exact
                        ? "same runtime fingerprint, both deterministic: bitwise equality required"
                        : differ.isEmpty()
                                ? "same runtime fingerprint, not both deterministic (or exactness off): tolerances apply"
                                : "runtime fingerprints differ in " + String.join(", ", differ) + ": tolerances apply";
        checks.add(CheckResult.pass("runtime", detail, Map.of("exact", checks.exact, "differ", differ)));
    }

    /** The claim's model digest against this node's: a claim for other weights fails here. */
    private static boolean model(Checks checks, @Nullable String claimed, ModelInfo model) {
        checks.claimedModel = claimed;
        if (claimed == null) {
            return true;
        }
        if (!claimed.equals(model.sha256())) {
            checks.add(CheckResult.fail(
                    "model",
                    "the answer names model sha256 " + claimed + "; this node's '" + model.name() + "' is "
                            + model.sha256(),
                    Map.of()));
            return false;
        }
        checks.add(CheckResult.pass("model", "the answer names this node's model sha256", Map.of()));
        return true;
    }

    private static Safetensors.File safetensors(byte[] bytes) throws Claims.Malformed {
        try {
            return Safetensors.decode(bytes);
        } catch (IllegalArgumentException e) {
            throw new Claims.Malformed("the result is not canonical safetensors: " + e.getMessage());
        }
    }

    /** The original request decoded by its own decoder; its errors name the field under "request.". */
    private static <T> T nested(Supplier<T> decode) {
        try {
            return decode.get();
        } catch (ApiException.BadRequest e) {
            String field = e.field();
            throw new ApiException.BadRequest(e.code(), field == null ? "request" : "request." + field, e.detail());
        }
    }

    /** Work on this node's engine for the original request; what it refuses names the field under "request.". */
    private static <T> T rerun(Rerun<T> work) throws InferenceException {
        try {
            return work.run();
        } catch (InferenceException.InvalidInput e) {
            throw new InferenceException.InvalidInput("request." + e.field(), String.valueOf(e.getMessage()));
        } catch (ApiException.BadRequest e) {
            String field = e.field();
            throw new ApiException.BadRequest(e.code(), field == null ? "request" : "request." + field, e.detail());
        }
    }

    @FunctionalInterface
    private interface Rerun<T> {
        T run() throws InferenceException;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
