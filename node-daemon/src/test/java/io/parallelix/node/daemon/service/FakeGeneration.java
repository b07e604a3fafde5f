package io.parallelix.node.daemon.service;

import io.parallelix.node.gpu.FinishReason;
import io.parallelix.node.gpu.GeneratedToken;
import io.parallelix.node.gpu.GenerationInfo;
import io.parallelix.node.gpu.GenerationInput;
import io.parallelix.node.gpu.GenerationListener;
import io.parallelix.node.gpu.GenerationRequest;
import io.parallelix.node.gpu.GenerationResult;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.TokenLogprobs;
import io.parallelix.node.gpu.chat.ChatMessage;
import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.gpu.sampling.StopMatcher;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The fake engine's decode loop, honouring the engine's generation contract without a model, so
 * tests can compute what an answer must hold. Ids 0-255 are bytes (text is "tokenized" as its
 * UTF-8 bytes; chat renders {@code <|role|>content\n} per message, then {@code <|assistant|>});
 * ids from 256 are special tokens with no text. Step s of choice c samples a letter or a space
 * from a hash of (seed, c, s) (seed 0 when greedy), released through a {@link StopMatcher}; a
 * choice ends at a stop string or EOS (STOP), or at max_tokens or the context (LENGTH). Hooks in
 * the prompt text: {@code fake:eos:<k>} samples EOS at step k, {@code fake:utf8} samples the bytes
 * of "é😀" (so pieces hold half characters), {@code fake:sleep:<ms>} sleeps before each token,
 * {@code fake:fail} fails before the first token and {@code fake:fail-at:<k>} at step k.
 */
public final class FakeGeneration {
    public static final int SPECIAL = 256;
    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz ";
    private static final byte[] UTF8 = "\u00e9\ud83d\ude00".getBytes(StandardCharsets.UTF_8);

    private final Clock clock;
    private final AtomicInteger generated;

    FakeGeneration(Clock clock, AtomicInteger generated) {
        this.clock = clock;
        this.generated = generated;
    }

    /** The prompt as this fake tokenizes it. */
    public static int[] promptIds(GenerationInput in) {
        return switch (in) {
            case GenerationInput.Tokens t -> t.ids().clone();
            case GenerationInput.Text t -> bytes(t.prompt());
            case GenerationInput.Chat c -> bytes(render(c.messages()));
        };
    }

    public static String render(List<ChatMessage> messages) {
        StringBuilder sb = new StringBuilder();
        for (ChatMessage m : messages) {
            sb.append("<|").append(m.role()).append("|>").append(m.content()).append('\n');
        }
        return sb.append("<|assistant|>").toString();
    }

    /** The id sampled at step s of choice c, before any hook (a letter or a space). */
    public static int sampled(SamplingParams sampling, int choice, int step) {
        long h = mix((sampling.greedy() ? 0 : sampling.seed())
                ^ (choice * 0x9E3779B97F4A7C15L)
                ^ (step * 0xC2B2AE3D27D4EB4FL));
        return LETTERS.charAt((int) Math.floorMod(h, (long) LETTERS.length()));
    }

    GenerationResult run(GenerationRequest request, GenerationInfo info, GenerationListener listener)
            throws InferenceException {
        String field = request.input() instanceof GenerationInput.Chat ? "messages" : "prompt";
        if (request.input() instanceof GenerationInput.Chat && !info.chatTemplate()) {
            throw new InferenceException.InvalidInput("model", "the model has no chat template");
        }
        if (request.maxTokens() > info.maxNewTokens()) {
            throw new InferenceException.InvalidInput("max_tokens", "more than the model's " + info.maxNewTokens());
        }
        int[] prompt = promptIds(request.input());
        for (int id : prompt) {
            if (id >= info.vocabSize()) {
                throw new InferenceException.InvalidInput("prompt", "token id " + id + " out of range");
            }
        }
        if (prompt.length >= info.contextLength()) {
            throw new InferenceException.InvalidInput(
                    field,
                    field + " has " + prompt.length + " tokens, which leaves no room in the model's context of "
                            + info.contextLength());
        }
        String hooks = hooks(request.input());
        if (hooks.contains("fake:fail") && !hooks.contains("fake:fail-at:")) {
            throw new InferenceException.ModelFailed("injected failure", new IllegalStateException("fake"));
        }
        listener.started(prompt.clone(), FakeEngine.SHA256);
        int steps = Math.min(request.maxTokens(), info.contextLength() - prompt.length);
        List<GenerationResult.Choice> choices = new ArrayList<>();
        for (int c = 0; c < request.n(); c++) {
            choices.add(choice(request, info, listener, hooks, c, steps));
        }
        return new GenerationResult(
                prompt, choices, FakeEngine.SHA256, "FakeExecutionProvider", 1_000, 2_000, 3_000, 4_000, 5_000);
    }

    private GenerationResult.Choice choice(
            GenerationRequest request, GenerationInfo info, GenerationListener listener, String hooks, int c, int steps)
            throws InferenceException {
        StopMatcher stops = new StopMatcher(request.stop());
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        StringBuilder text = new StringBuilder();
        int[] ids = new int[steps];
        List<TokenLogprobs> lps = new ArrayList<>();
        int eos = info.eosTokenIds().isEmpty() ? SPECIAL : info.eosTokenIds().get(0);
        for (int s = 0; s < steps; s++) {
            sleep(hooks, request);
            if (clock.instant().isAfter(request.deadline())) {
                throw new InferenceException.DeadlineExceeded("the generation passed its deadline");
            }
            if (hooks.contains("fake:fail-at:" + s + ";") || hooks.endsWith("fake:fail-at:" + s)) {
                throw new InferenceException.ModelFailed("injected failure at step " + s, new IllegalStateException());
            }
            int id = hooks.contains("fake:eos:" + s + ";") || hooks.endsWith("fake:eos:" + s)
                    ? eos
                    : hooks.contains("fake:utf8") ? UTF8[s % UTF8.length] & 0xff : sampled(request.sampling(), c, s);
            ids[s] = id;
            generated.incrementAndGet();
            FinishReason finish = null;
            String piece;
            if (id >= SPECIAL) {
                piece = stops.finish() + flush(pending);
                finish = FinishReason.STOP; // every id from 256 ends the choice, as an EOS id does
            } else {
                pending.write(id);
                StopMatcher.Step step = stops.accept(release(pending));
                piece = step.text();
                if (step.stopped()) {
                    finish = FinishReason.STOP;
                } else if (s == steps - 1) {
                    piece += stops.finish() + flush(pending);
                    finish = FinishReason.LENGTH;
                }
            }
            TokenLogprobs lp = request.sampling().logprobs()
                    ? logprobs(id, s, request.sampling().topLogprobs())
                    : null;
            if (lp != null) {
                lps.add(lp);
            }
            text.append(piece);
            listener.token(new GeneratedToken(c, id, piece, lp, finish));
            if (finish != null) {
                return new GenerationResult.Choice(
                        c, text.toString(), java.util.Arrays.copyOf(ids, s + 1), finish, lps);
            }
        }
        throw new IllegalStateException("steps >= 1: the last step always finishes");
    }

    /** A fixed logprob per (id, step) and `top` alternatives below it: the next ids. */
    public static TokenLogprobs logprobs(int id, int step, int top) {
        double lp = -((id * 31 + step * 7) % 300) / 100.0 - 0.25;
        List<TokenLogprobs.Top> alternatives = new ArrayList<>();
        for (int j = 0; j < top; j++) {
            int alt = (id + j + 1) % SPECIAL;
            alternatives.add(new TokenLogprobs.Top(alt, tokenText(alt), -0.125 * (j + 1)));
        }
        return new TokenLogprobs(id, tokenText(id), lp, alternatives);
    }

    /** A token's own text: ASCII as itself, a lone byte of a UTF-8 sequence as U+FFFD, specials by name. */
    public static String tokenText(int id) {
        return id < 128 ? String.valueOf((char) id) : id < SPECIAL ? "\ufffd" : "<|special_" + id + "|>";
    }

    /** The complete UTF-8 characters at the start of pending, taken out of it. */
    private static String release(ByteArrayOutputStream pending) {
        byte[] b = pending.toByteArray();
        int end = 0;
        while (end < b.length) {
            int lead = b[end] & 0xff;
            int len = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (end + len > b.length) {
                break;
            }
            end += len;
        }
        pending.reset();
        pending.write(b, end, b.length - end);
        return new String(b, 0, end, StandardCharsets.UTF_8);
    }

    private static String flush(ByteArrayOutputStream pending) {
        String s = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        return s;
    }

    private void sleep(String hooks, GenerationRequest request) throws InferenceException {
        int at = hooks.indexOf("fake:sleep:");
        if (at < 0) {
            return;
        }
        int end = at + 11;
        while (end < hooks.length() && Character.isDigit(hooks.charAt(end))) {
            end++;
        }
        long until = System.currentTimeMillis() + Long.parseLong(hooks.substring(at + 11, end));
        while (System.currentTimeMillis() < until) {
            if (clock.instant().isAfter(request.deadline())) {
                throw new InferenceException.DeadlineExceeded("the generation passed its deadline");
            }
            try {
                Thread.sleep(Math.max(1, Math.min(5, until - System.currentTimeMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static String hooks(GenerationInput in) {
        return switch (in) {
            case GenerationInput.Tokens t -> "";
            case GenerationInput.Text t -> t.prompt();
            case GenerationInput.Chat c -> render(c.messages());
        };
    }

    private static int[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        int[] ids = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            ids[i] = b[i] & 0xff;
        }
        return ids;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
