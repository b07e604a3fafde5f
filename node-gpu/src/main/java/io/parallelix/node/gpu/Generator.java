package io.parallelix.node.gpu;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import io.parallelix.node.gpu.chat.ChatTemplate;
import io.parallelix.node.gpu.chat.ChatTemplateException;
import io.parallelix.node.gpu.sampling.SampledToken;
import io.parallelix.node.gpu.sampling.Sampler;
import io.parallelix.node.gpu.sampling.TokenHistory;
import io.parallelix.node.gpu.text.Tokenizer;
import io.parallelix.node.gpu.verify.GenerationClaim;
import io.parallelix.node.gpu.verify.GenerationPolicy;
import io.parallelix.node.gpu.verify.Verification;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One generation model's request path: the prompt (text, ids or chat messages through the chat
 * template) to ids, checked against the context; then per choice one prefill run and one run per
 * token ({@link DecodeRun}: the cache stays in ONNX Runtime's tensors), each token sampled
 * (docs/generation.md), detokenized incrementally, matched against the stop strings and handed to
 * the listener. A choice ends on an end-of-sequence id or a stop string (stop) or at max_tokens or
 * the context (length). At most {@code maxSequences} run at once, each holding a session permit.
 */
final class Generator implements AutoCloseable {
    private final OrtEnvironment env;
    private final RunDeadlines deadlines;
    private final Clock clock;
    private final Tokenizer tokenizer;
    private final DecoderLayout layout;
    private final @Nullable ChatTemplate template;
    private final @Nullable String templateProblem;
    private final GenerationInfo info;
    private final boolean[] eos;
    private final Semaphore sequences;

    Generator(
            OrtEnvironment env,
            RunDeadlines deadlines,
            Clock clock,
            Tokenizer tokenizer,
            DecoderLayout layout,
            @Nullable ChatTemplate template,
            @Nullable String templateProblem,
            GenerationInfo info) {
        this.env = env;
        this.deadlines = deadlines;
        this.clock = clock;
        this.tokenizer = tokenizer;
        this.layout = layout;
        this.template = template;
        this.templateProblem = templateProblem;
        this.info = info;
        this.eos = new boolean[info.vocabSize()];
        info.eosTokenIds().forEach(id -> eos[id] = true);
        this.sequences = new Semaphore(info.maxSequences(), true);
    }

    GenerationInfo info() {
        return info;
    }

    DecoderLayout layout() {
        return layout;
    }

    GenerationResult generate(LoadedModel model, GenerationRequest request, GenerationListener listener)
            throws InferenceException {
        long start = System.nanoTime();
        String field = request.input() instanceof GenerationInput.Chat ? "messages" : "prompt";
        int[] prompt = promptIds(model, request.input(), field);
        int limit = limit(model, request.maxTokens(), prompt.length, field);
        listener.started(prompt.clone(), model.info().sha256());
        Timings timings = new Timings(start);
        List<GenerationResult.Choice> choices = new ArrayList<>();
        String provider;
        acquire(model, request, timings);
        try (InstancePool.Lease lease = model.pool().lease(clock, request.deadline())) {
            timings.wait = System.nanoTime() - start;
            provider = lease.instance().provider();
            for (int c = 0; c < request.n(); c++) {
                choices.add(choice(model, lease.instance(), request, prompt, limit, c, listener, timings));
            }
        } finally {
            sequences.release();
        }
        return new GenerationResult(
                prompt,
                choices,
                model.info().sha256(),
                provider,
                timings.wait,
                timings.prefill,
                timings.decode,
                timings.firstToken,
                timings.loop);
    }

    /** Where the time of one request went (confined to its thread). */
    private static final class Timings {
        final long start;
        long wait;
        long prefill;
        long decode;
        long firstToken = -1;
        long loop;

        Timings(long start) {
            this.start = start;
        }
    }

    private void acquire(LoadedModel model, GenerationRequest request, Timings timings)
            throws InferenceException.DeadlineExceeded {
        acquire(model, request.deadline());
        timings.wait = System.nanoTime() - timings.start;
    }

    /** One of the model's sequence slots (a generation's, or a verification's), until the deadline. */
    void acquire(LoadedModel model, Instant deadline) throws InferenceException.DeadlineExceeded {
        try {
            long nanos = Deadlines.remainingNanos(clock, deadline);
            if (nanos <= 0 || !sequences.tryAcquire(nanos, TimeUnit.NANOSECONDS)) {
                throw new InferenceException.DeadlineExceeded("deadline passed while waiting for one of model '"
                        + model.name() + "''s " + info.maxSequences() + " sequence slots");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InferenceException.DeadlineExceeded("interrupted while waiting for a sequence slot");
        }
    }

    void release() {
        sequences.release();
    }

    Clock clock() {
        return clock;
    }

    Tokenizer tokenizer() {
        return tokenizer;
    }

    boolean isEos(int token) {
        return token < eos.length && eos[token];
    }

    /** A choice's text replay: the stop strings are the request's (IllegalArgumentException when invalid). */
    ChoiceText text(int[] prompt, List<String> stop) {
        return new ChoiceText(tokenizer, eos, prompt, stop);
    }

    DecodeRun decodeRun(LoadedModel model, SessionInstance instance) throws OrtException {
        return new DecodeRun(env, deadlines, clock, model.name(), instance, layout, info.contextLength());
    }

    /** Checks another node's answer (docs/verification.md): {@link GenerationVerifier}. */
    Verification check(LoadedModel model, GenerationClaim claim, GenerationPolicy policy) throws InferenceException {
        return new GenerationVerifier(this, model).check(claim, policy);
    }

    private GenerationResult.Choice choice(
            LoadedModel model,
            SessionInstance instance,
            GenerationRequest request,
            int[] prompt,
            int limit,
            int index,
            GenerationListener listener,
            Timings timings)
            throws InferenceException {
        Sampler sampler = new Sampler((int) layout.vocab(), request.sampling(), index);
        TokenHistory history = new TokenHistory((int) layout.vocab(), prompt, limit);
        ChoiceText text = new ChoiceText(tokenizer, eos, prompt, request.stop());
        StringBuilder all = new StringBuilder();
        List<TokenLogprobs> logprobs = new ArrayList<>();
        try (DecodeRun run = decodeRun(model, instance)) {
            long t0 = System.nanoTime();
            float[] logits = run.prefill(prompt, request.deadline());
            timings.prefill += System.nanoTime() - t0;
            for (int step = 0; ; step++) {
                long t1 = System.nanoTime();
                SampledToken sampled = sampler.sample(logits, history, step);
                int token = sampled.token();
                history.append(token);
                ChoiceText.Piece piece = text.next(token, step + 1 == limit);
                TokenLogprobs lp = sampled.logprobs() == null ? null : logprobs(token, sampled.logprobs());
                GeneratedToken generated = new GeneratedToken(index, token, piece.text(), lp, piece.finish());
                all.append(piece.text());
                if (lp != null) {
                    logprobs.add(lp);
                }
                long t2 = System.nanoTime();
                timings.loop += t2 - t1;
                if (timings.firstToken < 0) {
                    timings.firstToken = t2 - timings.start;
                }
                listener.token(generated);
                if (piece.finish() != null) {
                    return new GenerationResult.Choice(
                            index, all.toString(), history.generated(), piece.finish(), logprobs);
                }
                long t3 = System.nanoTime();
                logits = run.step(token, request.deadline());
                timings.decode += System.nanoTime() - t3;
            }
        } catch (OrtException e) {
            throw new InferenceException.ModelFailed(
                    "model '" + model.name() + "' could not run: " + OrtMessages.of(e), e);
        }
    }

    /** Ids past the tokenizer's vocabulary (logits padded to a round size) have no text. */
    private boolean decodable(int token) {
        return token < tokenizer.vocabSize();
    }

    private TokenLogprobs logprobs(int token, SampledToken.Logprobs raw) {
        List<TokenLogprobs.Top> top = new ArrayList<>(raw.top().size());
        for (SampledToken.TokenLogprob t : raw.top()) {
            top.add(new TokenLogprobs.Top(t.token(), tokenText(t.token()), t.logprob()));
        }
        return new TokenLogprobs(token, tokenText(token), raw.logprob(), top);
    }

    String tokenText(int token) {
        return decodable(token) ? tokenizer.decode(new int[] {token}, false) : "";
    }

    /** The prompt's ids as a generation runs them; InvalidInput names {@code field}. */
    int[] promptIds(LoadedModel model, GenerationInput input, String field) throws InferenceException.InvalidInput {
        int[] ids;
        try {
            ids = switch (input) {
                case GenerationInput.Text t -> tokenizer.encode(t.prompt(), true);
                case GenerationInput.Tokens t -> t.ids().clone();
                case GenerationInput.Chat c -> tokenizer.encode(render(model, c), false);
            };
        } catch (IllegalArgumentException e) {
            throw new InferenceException.InvalidInput(field, String.valueOf(e.getMessage()));
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= layout.vocab()) {
                throw new InferenceException.InvalidInput(
                        field + "[" + i + "]",
                        "token id " + ids[i] + " is not below the model's vocabulary size " + layout.vocab());
            }
        }
        if (ids.length == 0) {
            throw new InferenceException.InvalidInput(
                    field, "the " + field + " is empty: it gives no tokens for model '" + model.name() + "'");
        }
        return ids;
    }

    private String render(LoadedModel model, GenerationInput.Chat chat) throws InferenceException.InvalidInput {
        if (template == null) {
            throw new InferenceException.InvalidInput(
                    "model",
                    templateProblem + " (tokenizer_config.json chat_template or chat_template.jinja); use"
                            + " /v1/completions with a prompt");
        }
        try {
            return template.render(chat.messages(), true);
        } catch (ChatTemplateException e) {
            throw new InferenceException.InvalidInput(
                    "messages",
                    "the chat template of model '" + model.name() + "' cannot render them: " + e.getMessage());
        }
    }

    /** How many tokens this request may generate per choice: its max_tokens, cut at the context. */
    int limit(LoadedModel model, int maxTokens, int promptTokens, String field) throws InferenceException.InvalidInput {
        if (promptTokens >= info.contextLength()) {
            throw new InferenceException.InvalidInput(
                    field,
                    "the " + field + " has " + promptTokens + " tokens; model '" + model.name() + "' has a context of "
                            + info.contextLength() + " tokens, which leaves no room for an answer");
        }
        if (maxTokens > info.maxNewTokens()) {
            throw new InferenceException.InvalidInput(
                    "max_tokens",
                    "max_tokens must be at most " + info.maxNewTokens() + " for model '" + model.name() + "', got "
                            + maxTokens);
        }
        return Math.min(maxTokens, info.contextLength() - promptTokens);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
