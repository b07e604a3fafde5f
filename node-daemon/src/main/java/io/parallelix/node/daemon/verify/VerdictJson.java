package io.parallelix.node.daemon.verify;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.daemon.protocol.ResultRuntime;
import io.parallelix.node.gpu.verify.CheckResult;
import io.parallelix.node.gpu.verify.VerifyPolicy;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The verdict, which is the signed result of a verify request (format {@value #RESULT_FORMAT}):
 * one line of JSON, fields in this order: object, verdict (accept / reject), first_failed, claim
 * (what was checked: endpoint, request id, node id, result format, SHA-256 of the signed result,
 * the model digest it names), verifier (model, digest, runtime), exact (bitwise comparison was
 * required), checks (every check that ran, with its statistics), policy (as configured), cost.
 */
final class VerdictJson {
    static final String RESULT_FORMAT = "pxnode.verification.v1+json";

    private VerdictJson() {}

    /** What the verdict says about the claim and the verifier. */
    record Claim(
            String endpoint,
            String requestId,
            String nodeId,
            String resultFormat,
            String resultSha256,
            @Nullable String modelSha256) {}

    /** The verifier's model and its runtime fingerprint as its own results sign it. */
    record Verifier(String model, String modelSha256, ResultRuntime runtime) {}

    static byte[] write(
            ObjectMapper mapper,
            Claim claim,
            Verifier verifier,
            boolean exact,
            List<CheckResult> checks,
            VerifyPolicy policy,
            long workNanos,
            long totalNanos) {
        ObjectNode root = mapper.createObjectNode();
        root.put("object", "pxnode.verification");
        boolean accepted = checks.stream().allMatch(CheckResult::passed);
        root.put("verdict", accepted ? "accept" : "reject");
        Optional<CheckResult> failed = checks.stream().filter(c -> !c.passed()).findFirst();
        if (failed.isPresent()) {
            root.putObject("first_failed")
                    .put("check", failed.get().name())
                    .put("detail", failed.get().detail());
        } else {
            root.putNull("first_failed");
        }
        root.putObject("claim")
                .put("endpoint", claim.endpoint())
                .put("request_id", claim.requestId())
                .put("node_id", claim.nodeId())
                .put("result_format", claim.resultFormat())
                .put("result_sha256", claim.resultSha256())
                .put("model_sha256", claim.modelSha256());
        ObjectNode v = root.putObject("verifier");
        v.put("model", verifier.model()).put("model_sha256", verifier.modelSha256());
        try {
            v.set("runtime", mapper.readTree(verifier.runtime().json()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a runtime fingerprint is plain JSON", e);
        }
        root.put("exact", exact);
        ArrayNode list = root.putArray("checks");
        for (CheckResult c : checks) {
            ObjectNode o = list.addObject();
            o.put("check", c.name()).put("passed", c.passed()).put("detail", c.detail());
            o.set("statistics", mapper.valueToTree(c.statistics()));
        }
        root.set("policy", policy(mapper, policy));
        root.putObject("cost").put("work_ms", workNanos / 1e6).put("verify_ms", totalNanos / 1e6);
        try {
            return mapper.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a verdict is plain JSON", e);
        }
    }

    /** The policy by config.yaml's names, so an operator reads the verdict against the config. */
    static ObjectNode policy(ObjectMapper mapper, VerifyPolicy p) {
        ObjectNode o = mapper.createObjectNode();
        o.put("exact_when_same_fingerprint", p.exactWhenSameFingerprint());
        o.putObject("tensors")
                .put("fp32_absolute", p.tensors().fp32().absolute())
                .put("fp32_relative", p.tensors().fp32().relative())
                .put("fp16_absolute", p.tensors().fp16().absolute())
                .put("fp16_relative", p.tensors().fp16().relative());
        o.putObject("embeddings")
                .put("min_cosine", p.embeddings().minCosine())
                .put("max_abs", p.embeddings().maxAbs());
        o.putObject("generations")
                .put("tie_logit_gap", p.generations().tieLogitGap())
                .put("min_sampled_probability", p.generations().minSampledProbability())
                .put("logprob_abs", p.generations().logprobAbs())
                .put("max_deviating_positions", p.generations().maxDeviatingPositions());
        return o;
    }
}
