package io.parallelix.node.gpu.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The 53 template cases of huggingface.js' jinja package (test/e2e.test.js, MIT; see the
 * resource's "source"): each renders exactly as expected, or is refused, never rendered otherwise.
 * "Expected" is transformers' output: the test file's, or Jinja2's where the two differ (one case,
 * see jinja2_crosscheck.py).
 */
class HfJinjaCasesTest {
    /** Rendered exactly by the engine itself (no load-time probe): 50 of 53 when written. */
    static final int MIN_EXACT = 50;
    /** Loaded through {@link ChatTemplate#of} (probe included) and rendered exactly: 46 of 53. */
    static final int MIN_SERVED = 46;

    static final Clock CLOCK = Clock.fixed(Instant.parse(JinjaReference.NOW), ZoneOffset.UTC);
    static JsonNode cases;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = HfJinjaCasesTest.class.getResourceAsStream("/chat/hf-jinja-e2e-cases.json")) {
            cases = JinjaReference.JSON.readTree(in).get("cases");
        }
        assertThat(cases).hasSize(53);
    }

    @Test
    void cases_renderedByTheEngine_areExactOrRefused() {
        List<String> refused = new ArrayList<>();
        int exact = 0;
        for (JsonNode c : cases) {
            try {
                String out = ChatTemplate.compile(c.get("template").asText(), SpecialTokens.NONE, CLOCK)
                        .renderVariables(variables(c));
                assertThat(out).as(c.get("name").asText()).isEqualTo(expected(c));
                exact++;
            } catch (ChatTemplateException e) {
                refused.add(c.get("name").asText() + ": " + e.getMessage());
            }
        }
        System.out.printf(
                "hf jinja e2e cases: %d of 53 exact, %d refused:%n  %s%n",
                exact, refused.size(), String.join("\n  ", refused));
        assertThat(exact).isGreaterThanOrEqualTo(MIN_EXACT);
    }

    @Test
    void cases_loadedWithTheProbe_areExactOrRefused() {
        List<String> refused = new ArrayList<>();
        int exact = 0;
        for (JsonNode c : cases) {
            JsonNode ctx = c.get("context");
            try {
                ChatTemplate t = ChatTemplate.of(
                        c.get("template").asText(),
                        SpecialTokens.of(
                                ctx.path("bos_token").textValue(),
                                ctx.path("eos_token").textValue()),
                        CLOCK);
                assertThat(t.renderVariables(variables(c)))
                        .as(c.get("name").asText())
                        .isEqualTo(expected(c));
                exact++;
            } catch (ChatTemplateException e) {
                refused.add(c.get("name").asText() + ": " + e.getMessage());
            }
        }
        System.out.printf(
                "hf jinja e2e cases through ChatTemplate.of: %d of 53 exact, %d refused:%n  %s%n",
                exact, refused.size(), String.join("\n  ", refused));
        assertThat(exact).isGreaterThanOrEqualTo(MIN_SERVED);
    }

    @Test
    void reference_atTestTime_rendersTheCasesAsTheTestFileExpects() throws IOException {
        List<JinjaReference.Case> asks = new ArrayList<>();
        for (JsonNode c : cases)
            asks.add(new JinjaReference.Case(c.get("template").asText(), c.get("context")));
        List<JinjaReference.Answer> answers = JinjaReference.render(asks);
        for (int i = 0; i < cases.size(); i++) {
            assertThat(answers.get(i).text())
                    .as(cases.get(i).get("name").asText())
                    .contains(cases.get(i).get("expected").asText());
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> variables(JsonNode c) {
        return (Map<String, Object>) PyData.fromJson(c.get("context"));
    }

    static String expected(JsonNode c) {
        return c.has("transformers_expected")
                ? c.get("transformers_expected").asText()
                : c.get("expected").asText();
    }
}
