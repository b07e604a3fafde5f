package io.parallelix.node.gpu.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
    static final String PLAIN = "{% for m in messages %}<{{ m.role }}>{{ m.content }}</{{ m.role }}>{% endfor %}"
            + "{% if add_generation_prompt %}<assistant>{% endif %}";
    static final List<ChatMessage> CHAT = List.of(ChatMessage.user("hi"), ChatMessage.assistant("yo"));

    static ChatTemplate load(String template) throws ChatTemplateException {
        return ChatTemplate.of(template, SpecialTokens.of("<s>", "</s>"), HfJinjaCasesTest.CLOCK);
    }

    @Test
    void render_plainTemplate_printsTheConversation() throws Exception {
        assertThat(load(PLAIN).render(CHAT, true)).isEqualTo("<user>hi</user><assistant>yo</assistant><assistant>");
        assertThat(load(PLAIN).render(CHAT, false)).isEqualTo("<user>hi</user><assistant>yo</assistant>");
    }

    @Test
    void render_raiseException_isRefusedWithTheTemplatesMessage() throws Exception {
        ChatTemplate gemmaLike = load("{% if messages[0].role == 'system' %}{{ raise_exception('System role not"
                + " supported') }}{% endif %}" + PLAIN);
        assertThatThrownBy(() -> gemmaLike.render(List.of(ChatMessage.system("s"), ChatMessage.user("u")), true))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessage("the chat template raised an exception: System role not supported");
        assertThat(gemmaLike.render(CHAT, false)).isEqualTo("<user>hi</user><assistant>yo</assistant>");
    }

    @Test
    void of_templateThatDropsAContent_isRefused() {
        assertThatThrownBy(() -> load("{% for m in messages if m.role == 'user' %}{{ m.content }}{% endfor %}"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("the probe's assistant message")
                .hasMessageContaining("is not in the rendered prompt");
    }

    @Test
    void of_templateThatRepeatsAContent_isRefused() {
        assertThatThrownBy(() -> load(PLAIN + "{{ messages[-1].content }}"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("appears more than once");
    }

    @Test
    void of_filterJinja2HasButWeDoNot_isRefusedAtLoad() {
        assertThatThrownBy(() -> load("{% for m in messages %}{{ m.content|wordcount }}{% endfor %}"))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("wordcount");
    }

    @Test
    void of_brokenSyntax_isRefusedAtLoad() {
        assertThatThrownBy(() -> load("{% for m in messages %}{{ m.content }}"))
                .isInstanceOf(ChatTemplateException.class);
        assertThatThrownBy(() -> load("   ")).isInstanceOf(ChatTemplateException.class);
    }

    @Test
    void render_javaMethodsOnValues_areRefused() {
        for (String call : List.of(
                "m.content.getClass()",
                "m.content.hashCode()",
                "m.content.matches('.*')",
                "m.content.chars()",
                "messages.size()",
                "m.getOrDefault('x', 1)")) {
            assertThatThrownBy(() -> load("{% for m in messages %}{{ " + call + " }}{% endfor %}"))
                    .as(call)
                    .isInstanceOf(ChatTemplateException.class);
        }
    }

    @Test
    void render_undefined_printsNothingButFailsWhenUsed() throws Exception {
        assertThat(load(PLAIN + "{{ nothing }}{{ messages[0].missing }}").render(CHAT, false))
                .isEqualTo("<user>hi</user><assistant>yo</assistant>");
        // Jinjava alone prints "anull" here (it rendered "null" into a Qwen3 prompt); Jinja2 raises.
        for (String use : List.of("'a' + nothing", "nothing.field", "messages[0].missing.deeper", "nothing + 1")) {
            assertThatThrownBy(() -> load(PLAIN + "{{ " + use + " }}"))
                    .as(use)
                    .isInstanceOf(ChatTemplateException.class)
                    .hasMessageContaining("refused: the probe conversation");
        }
    }

    @Test
    void render_none_isPythonsNone() throws Exception {
        ChatTemplate t = load(PLAIN + "|{{ tools }}|{{ tools is none }}|{{ tools is defined }}|{{ x is defined }}");
        assertThat(t.render(CHAT, false)).endsWith("|None|True|True|False");
    }

    @Test
    void render_theStringFalse_isTrue() throws Exception {
        // Jinjava's own truthiness calls the string "false" false.
        ChatTemplate t = load(PLAIN + "{% if messages[0].content %}[set]{% endif %}");
        assertThat(t.render(List.of(ChatMessage.user("false")), false)).isEqualTo("<user>false</user>[set]");
    }

    @Test
    void render_contentThatLooksLikeJinja_isNotInterpreted() throws Exception {
        String content = "{{ bos_token }} {% if true %}x{% endif %} {# c #}";
        assertThat(load(PLAIN).render(List.of(ChatMessage.user(content)), false))
                .isEqualTo("<user>" + content + "</user>");
    }

    @Test
    void render_extraVariables_reachTheTemplate() throws Exception {
        ChatTemplate t = load(
                PLAIN + "{% if enable_thinking is defined and enable_thinking is false %}<no-think>" + "{% endif %}");
        assertThat(t.render(CHAT, false, Map.of("enable_thinking", false))).endsWith("<no-think>");
        assertThat(t.render(CHAT, false)).doesNotContain("<no-think>");
        assertThatThrownBy(() -> t.render(CHAT, false, Map.of("messages", List.of())))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("'messages' cannot be set");
        assertThatThrownBy(() -> t.render(List.of(), false)).isInstanceOf(ChatTemplateException.class);
    }

    @Test
    void render_specialTokensAndClock_areBound() throws Exception {
        ChatTemplate t = load("{{ bos_token }}" + PLAIN + "{{ eos_token }}|{{ strftime_now('%d %b %Y, %A %H:%M') }}"
                + "|{{ unk_token is defined }}");
        assertThat(t.render(CHAT, false))
                .isEqualTo("<s><user>hi</user><assistant>yo</assistant></s>" + "|10 Jul 2025, Thursday 12:00|False");
    }

    @Test
    void fromTokenizerConfig_tokenStringsAndAddedTokenObjects_areRead() throws Exception {
        var json = new ObjectMapper()
                .readTree("{\"bos_token\": {\"content\": \"<s>\", \"lstrip\": false},"
                        + " \"eos_token\": \"</s>\", \"pad_token\": null, \"additional_special_tokens\": [\"<x>\"]}");
        SpecialTokens tokens = SpecialTokens.fromTokenizerConfig(json);
        assertThat(tokens.bindings())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of("bos_token", "<s>", "eos_token", "</s>", "additional_special_tokens", List.of("<x>")));
        assertThatThrownBy(() -> SpecialTokens.fromTokenizerConfig(new ObjectMapper().readTree("{\"eos_token\": 3}")))
                .isInstanceOf(ChatTemplateException.class)
                .hasMessageContaining("eos_token");
    }

    @Test
    void chatMessage_badRoles_areRefused() {
        assertThatThrownBy(() -> new ChatMessage("", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChatMessage("us er", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChatMessage("u".repeat(65), "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ChatMessage("user", null)).isInstanceOf(NullPointerException.class);
    }
}
