package io.parallelix.node.gpu.chat;

import java.util.ArrayList;
import java.util.List;

/**
 * The self-check when a model loads, needing no reference renderer: a fixed conversation must
 * render without error, with and without the generation prompt, and every message's content must
 * appear in the prompt exactly once and in order. The system message is not checked: templates
 * move it into the last user turn, repeat it, or drop it. The contents carry quotes, braces that look like
 * Jinja, a newline, non-ASCII and a backslash, so a renderer that escapes, re-interprets, drops
 * or repeats text is caught. A system message is tried too; a template may refuse it by raising.
 */
final class TemplateProbe {
    static final ChatMessage SYSTEM = ChatMessage.system("probe-s1: be \"brief\" {{ not_a_variable }}");
    static final List<ChatMessage> TURNS = List.of(
            ChatMessage.user("probe-u1: it's a \"test\" {% if x %} {# c #} \\ é 😀"),
            ChatMessage.assistant("probe-a1: line one\nline two {{ 1 + 1 }}"),
            ChatMessage.user("probe-u2: <tag> & 'done' false None"));

    private TemplateProbe() {}

    static void check(ChatTemplate template) throws ChatTemplateException {
        for (boolean prompt : new boolean[] {false, true}) {
            String out;
            try {
                out = template.render(TURNS, prompt);
            } catch (ChatTemplateException e) {
                throw new ChatTemplateException(
                        "refused: the probe conversation (user, assistant, user) does not render: " + e.getMessage(),
                        e);
            }
            requireInOrder(out, TURNS, "(add_generation_prompt=" + prompt + ")");
        }
        List<ChatMessage> withSystem = new ArrayList<>();
        withSystem.add(SYSTEM);
        withSystem.addAll(TURNS);
        String out;
        try {
            out = template.render(withSystem, true);
        } catch (ChatTemplateException e) {
            if (String.valueOf(e.getMessage()).startsWith("the chat template raised"))
                return; // refuses system messages: fine
            throw new ChatTemplateException(
                    "refused: the probe conversation with a system message does not render: " + e.getMessage(), e);
        }
        requireInOrder(out, TURNS, "(with a system message)");
    }

    private static void requireInOrder(String out, List<ChatMessage> messages, String which)
            throws ChatTemplateException {
        int from = 0;
        for (ChatMessage m : messages) {
            int at = out.indexOf(m.content(), from);
            if (at < 0) {
                throw new ChatTemplateException("refused: the probe's " + m.role() + " message " + which
                        + " is not in the rendered prompt, unchanged and in order");
            }
            if (out.indexOf(m.content(), at + 1) >= 0 || out.lastIndexOf(m.content(), from - 1) >= 0) {
                throw new ChatTemplateException("refused: the probe's " + m.role() + " message " + which
                        + " appears more than once in the rendered prompt");
            }
            from = at + m.content().length();
        }
    }
}
