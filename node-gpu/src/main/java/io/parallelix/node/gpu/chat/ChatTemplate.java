package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A model's chat template, compiled once: messages to the prompt text exactly as transformers'
 * {@code apply_chat_template(..., tokenize=False)} renders it, or a {@link ChatTemplateException}.
 * {@link #of} refuses a template that fails the {@link TemplateProbe} self-check; {@link #render}
 * fails on any error Jinjava reports, of any severity (Jinjava renders on after one; we never
 * use such output). Thread-safe.
 */
public final class ChatTemplate {
    private static final Set<String> RESERVED =
            Set.of("messages", "add_generation_prompt", "none", "None", PyFunctions.CLOCK);

    private final PyJinjava jinjava;
    private final String source;
    private final SpecialTokens tokens;
    private final Clock clock;

    private ChatTemplate(String template, SpecialTokens tokens, Clock clock) {
        this.jinjava = PyJinjava.create();
        this.source = TemplateSource.prepare(template);
        this.tokens = tokens;
        this.clock = clock;
    }

    public static ChatTemplate of(String template, SpecialTokens tokens) throws ChatTemplateException {
        return of(template, tokens, Clock.systemUTC());
    }

    /** {@code clock} is what {@code strftime_now} reads (transformers: the host's local time). */
    public static ChatTemplate of(String template, SpecialTokens tokens, Clock clock) throws ChatTemplateException {
        Objects.requireNonNull(template, "template");
        if (template.isBlank()) throw new ChatTemplateException("the chat template is empty");
        ChatTemplate t = compile(template, tokens, clock);
        TemplateProbe.check(t);
        return t;
    }

    /** Without the load-time self-check: for the tests that measure rendering itself. */
    static ChatTemplate compile(String template, SpecialTokens tokens, Clock clock) {
        return new ChatTemplate(template, Objects.requireNonNull(tokens), Objects.requireNonNull(clock));
    }

    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) throws ChatTemplateException {
        return render(messages, addGenerationPrompt, Map.of());
    }

    /**
     * {@code extra}: further template variables (e.g. {@code enable_thinking}), as
     * apply_chat_template's keyword arguments: strings, numbers, booleans, lists, maps, null (None).
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt, Map<String, ?> extra)
            throws ChatTemplateException {
        if (messages.isEmpty()) throw new ChatTemplateException("no messages");
        Map<String, Object> vars = new LinkedHashMap<>(tokens.bindings());
        vars.put("tools", PyNone.NONE);
        vars.put("documents", PyNone.NONE);
        for (Map.Entry<String, ?> e : extra.entrySet()) {
            if (RESERVED.contains(e.getKey())) {
                throw new ChatTemplateException("the template variable '" + e.getKey() + "' cannot be set");
            }
            try {
                vars.put(e.getKey(), PyData.fromJava(e.getValue()));
            } catch (IllegalArgumentException bad) {
                throw new ChatTemplateException("the template variable '" + e.getKey() + "': " + bad.getMessage());
            }
        }
        List<Object> list = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> msg = new LinkedHashMap<>();
            msg.put("role", m.role());
            msg.put("content", m.content());
            list.add(msg);
        }
        vars.put("messages", list);
        vars.put("add_generation_prompt", addGenerationPrompt);
        return renderVariables(vars);
    }

    /** Renders with exactly these (Python-valued) variables, plus the globals; for the corpus tests. */
    String renderVariables(Map<String, Object> variables) throws ChatTemplateException {
        Map<String, Object> bindings = new LinkedHashMap<>(PyFunctions.globals());
        bindings.putAll(variables);
        bindings.put(PyFunctions.CLOCK, clock);
        RenderResult result;
        // Jinjava resets its shared global context after each render; one render at a time per
        // template keeps that from racing (a render takes well under a millisecond).
        synchronized (this) {
            result = jinjava.renderForResult(source, bindings);
        }
        if (!result.getErrors().isEmpty()) throw failure(result.getErrors());
        return result.getOutput();
    }

    private static ChatTemplateException failure(List<TemplateError> errors) {
        TemplateError first = errors.get(0);
        for (TemplateError e : errors) {
            for (Throwable c = e.getException(); c != null; c = c.getCause()) {
                if (c instanceof PyFunctions.Raised r) {
                    return new ChatTemplateException("the chat template raised an exception: " + r.getMessage());
                }
            }
        }
        for (TemplateError e : errors) {
            for (Throwable c = e.getException(); c != null; c = c.getCause()) {
                if (c instanceof PyError p) return new ChatTemplateException(at(e) + p.getMessage(), p);
            }
        }
        return new ChatTemplateException(
                at(first) + first.getMessage() + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""));
    }

    private static String at(TemplateError e) {
        return "chat template error at line " + e.getLineno() + ": ";
    }
}
