package io.parallelix.node.gpu;

import ai.onnxruntime.OrtException;
import io.parallelix.node.gpu.sampling.StopMatcher;
import io.parallelix.node.gpu.verify.CheckResult;
import io.parallelix.node.gpu.verify.GenerationClaim;
import io.parallelix.node.gpu.verify.GenerationPolicy;
import io.parallelix.node.gpu.verify.Verification;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Checks another node's generation without re-generating it (docs/verification.md, "Generations"):
 * the prompt as {@link Generator} renders and tokenizes it, then per choice one teacher-forced pass
 * over prompt + claimed tokens ({@link DecodeRun#teacherForce}, in chunks whose logits stay under
 * {@link #CHUNK_BYTES}) and every claimed position judged on the recomputed logits
 * ({@link ChoiceCheck}). A claim that is too long for its own request fails its checks without
 * running. Holds a sequence slot and a session like a generation; one per call.
 */
final class GenerationVerifier {
    /** The most bytes of [1, chunk, vocab] FP32 logits one teacher-forced run may produce. */
    static final long CHUNK_BYTES = 32L << 20;
    /** The most positions one teacher-forced run takes, whatever the vocabulary. */
    static final int MAX_CHUNK = 512;
    /** The most choices one claim may carry (a generation's n is bounded lower upstream). */
    static final int MAX_CHOICES = 128;

    private final Generator generator;
    private final LoadedModel model;

    GenerationVerifier(Generator generator, LoadedModel model) {
        this.generator = generator;
        this.model = model;
    }

    /** Positions per teacher-forced run for a vocabulary: as many as fit CHUNK_BYTES, 1 to MAX_CHUNK. */
    static int chunk(long vocab) {
        return (int) Math.max(1, Math.min(MAX_CHUNK, CHUNK_BYTES / (vocab * Float.BYTES)));
    }

    Verification check(GenerationClaim claim, GenerationPolicy policy) throws InferenceException {
        String field = claim.input() instanceof GenerationInput.Chat ? "messages" : "prompt";
        int[] prompt = generator.promptIds(model, claim.input(), field);
        if (claim.maxTokens() < 1) {
            throw new InferenceException.InvalidInput(
                    "max_tokens", "max_tokens must be at least 1, got " + claim.maxTokens());
        }
        int limit = generator.limit(model, claim.maxTokens(), prompt.length, field);
        checkChoices(claim, prompt);
        List<CheckResult> checks = new ArrayList<>();
        CheckResult promptCheck = promptCheck(prompt, claim.promptIds());
        checks.add(promptCheck);
        if (!promptCheck.passed()) {
            return new Verification(checks, model.info().sha256(), 0); // the rest would judge another prompt
        }
        long work = 0;
        generator.acquire(model, claim.deadline());
        try (InstancePool.Lease lease = model.pool().lease(generator.clock(), claim.deadline())) {
            for (GenerationClaim.Choice choice : claim.choices()) {
                ChoiceCheck c = new ChoiceCheck(generator, claim, policy, prompt, limit, choice);
                try (DecodeRun run = generator.decodeRun(model, lease.instance())) {
                    checks.addAll(c.run(run, chunk(generator.layout().vocab())));
                    work += c.workNanos();
                } catch (OrtException e) {
                    throw new InferenceException.ModelFailed(
                            "model '" + model.name() + "' could not run: " + OrtMessages.of(e), e);
                }
            }
        } finally {
            generator.release();
        }
        return new Verification(checks, model.info().sha256(), work);
    }

    /** The claim's shape (not its truth): choices present, bounded, indexed once each; stop strings valid. */
    private static void checkChoices(GenerationClaim claim, int[] prompt) throws InferenceException.InvalidInput {
        if (claim.choices().isEmpty() || claim.choices().size() > MAX_CHOICES) {
            throw new InferenceException.InvalidInput(
                    "choices",
                    "a claim carries 1 to " + MAX_CHOICES + " choices, got "
                            + claim.choices().size());
        }
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < claim.choices().size(); i++) {
            int index = claim.choices().get(i).index();
            if (index < 0 || !seen.add(index)) {
                throw new InferenceException.InvalidInput(
                        "choices[" + i + "].index", "choice indexes must be distinct and >= 0, got " + index);
            }
        }
        try {
            new StopMatcher(claim.stop());
        } catch (IllegalArgumentException e) {
            throw new InferenceException.InvalidInput("stop", String.valueOf(e.getMessage()));
        }
    }

    /** "prompt": the claimer's prompt ids (when it sent them) are the ones this node renders. */
    private static CheckResult promptCheck(int[] mine, int @Nullable [] claimed) {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("tokens", mine.length);
        if (claimed == null) {
            stats.put("claimed", "absent");
            return CheckResult.pass("prompt", "no prompt ids claimed; this node's tokenization is used", stats);
        }
        stats.put("claimed_tokens", claimed.length);
        int first = Arrays.mismatch(mine, claimed);
        stats.put("first_difference", first);
        if (first < 0) {
            return CheckResult.pass("prompt", "the claimed prompt ids are this node's", stats);
        }
        return CheckResult.fail(
                "prompt",
                "the claimed prompt ids differ from this node's at index " + first + " (" + claimed.length
                        + " claimed, " + mine.length + " here)",
                stats);
    }
}
