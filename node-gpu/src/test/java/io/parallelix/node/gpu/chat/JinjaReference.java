package io.parallelix.node.gpu.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.testing.NpmRefs;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The reference renderer, run at test time: {@code @huggingface/jinja} through
 * scripts/refs/chat_template_reference.mjs under node. Missing node or references fail the test
 * with what to run; they never skip it.
 */
final class JinjaReference {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String NOW = "2025-07-10T12:00:00Z";

    /** One rendering to ask for: the template source and its variables (JSON). */
    record Case(String template, JsonNode context) {}

    /** Its answer: the text, or the error the template raised. */
    record Answer(Optional<String> text, Optional<String> error) {}

    private JinjaReference() {}

    static List<Answer> render(List<Case> cases) throws IOException {
        NpmRefs.file("@huggingface/jinja/package.json");
        ObjectNode request = JSON.createObjectNode().put("now", NOW);
        ArrayNode list = request.putArray("cases");
        for (Case c : cases) list.addObject().put("template", c.template()).set("context", c.context());
        Subprocess.Result result = Subprocess.of(RepoRoot.path(), "node", "scripts/refs/chat_template_reference.mjs")
                .withStdin(JSON.writeValueAsBytes(request))
                .withTimeout(Duration.ofSeconds(120))
                .run()
                .requireSuccess();
        JsonNode answers = JSON.readTree(result.stdout().getBytes(StandardCharsets.UTF_8));
        if (answers.size() != cases.size()) {
            throw new AssertionError("the reference answered " + answers.size() + " of " + cases.size() + " cases");
        }
        List<Answer> out = new ArrayList<>();
        for (JsonNode a : answers) {
            out.add(new Answer(
                    Optional.ofNullable(a.path("text").textValue()),
                    Optional.ofNullable(a.path("error").textValue())));
        }
        return out;
    }
}
