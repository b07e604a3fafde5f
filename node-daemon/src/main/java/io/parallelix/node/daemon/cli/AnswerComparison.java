package io.parallelix.node.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.SignedStream;
import io.parallelix.node.daemon.verify.Claims;
import io.parallelix.node.gpu.verify.CheckResult;
import io.parallelix.node.gpu.verify.EmbeddingComparison;
import io.parallelix.node.gpu.verify.GenerationComparison;
import io.parallelix.node.gpu.verify.Sides;
import io.parallelix.node.gpu.verify.VerifyPolicy;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code pxnode verify --compare A B} on two OpenAI answers to the same request from two nodes
 * (embeddings bodies; completions or chat completions, whole or streamed as received), under the
 * same policy and with the same statistics as POST /v1/verify. Without a model there is no
 * teacher-forced check: generations are compared token by token (docs/verification.md).
 */
final class AnswerComparison {
    private final ObjectMapper mapper;
    private final VerifyPolicy policy;

    AnswerComparison(ObjectMapper mapper, VerifyPolicy policy) {
        this.mapper = mapper;
        this.policy = policy;
    }

    /** An OIP envelope (the tensor comparison's input) rather than an OpenAI answer. */
    static boolean isEnvelope(ObjectMapper mapper, byte[] bytes) {
        try {
            JsonNode n = mapper.readTree(bytes);
            return n != null && n.isObject() && n.has("poe") && n.has("result");
        } catch (IOException e) {
            return false;
        }
    }

    int compare(PrintWriter out, String nameA, byte[] a, String nameB, byte[] b) {
        try {
            Answer x = read(nameA, a);
            Answer y = read(nameB, b);
            if (!x.object().equals(y.object())) {
                out.println("different kinds of answer: " + x.object() + " vs " + y.object());
                out.flush();
                return ExitCodes.CHECK_FAILED;
            }
            List<CheckResult> checks = x.object().equals("list")
                    ? List.of(EmbeddingComparison.compare(
                            Claims.embeddings(x.json()),
                            Claims.embeddings(y.json()),
                            policy.embeddings(),
                            false,
                            new Sides("A", "B")))
                    : GenerationComparison.compare(
                            x.generation().choices(), y.generation().choices(), policy.generations());
            boolean ok = true;
            for (CheckResult c : checks) {
                out.println(c.name() + ": " + (c.passed() ? "agree" : "DIFFERENT") + " (" + c.detail() + ") "
                        + mapper.writeValueAsString(c.statistics()));
                ok &= c.passed();
            }
            out.println(ok ? "results agree" : "results disagree");
            out.flush();
            return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
        } catch (Claims.Malformed | IOException e) {
            out.println("not an answer this command compares: " + e.getMessage());
            out.flush();
            return ExitCodes.CHECK_FAILED;
        }
    }

    /** One answer: its object kind, its JSON (whole answers) or its generation (both forms). */
    private record Answer(String object, JsonNode json, Claims.Generation generation) {}

    private Answer read(String name, byte[] bytes) throws Claims.Malformed {
        boolean stream = bytes.length > 6
                && new String(bytes, 0, 6, java.nio.charset.StandardCharsets.US_ASCII).equals("data: ");
        if (stream) {
            byte[] events = SignedStream.read(bytes) instanceof SignedStream.Framed f ? f.result() : bytes;
            boolean chat =
                    new String(events, java.nio.charset.StandardCharsets.UTF_8).contains("chat.completion.chunk");
            Claims.Generation g = Claims.stream(mapper, events, chat);
            return new Answer(chat ? "chat.completion" : "text_completion", mapper.createObjectNode(), g);
        }
        JsonNode json = Claims.json(mapper, bytes);
        String object = json.path("object").asText("");
        return switch (object) {
            case "list" -> new Answer(object, json, new Claims.Generation(List.of(), null, null, java.util.Map.of()));
            case "text_completion", "chat.completion" ->
                new Answer(object, json, Claims.whole(json, object.equals("chat.completion")));
            default -> throw new Claims.Malformed(name + " is neither an envelope nor an OpenAI answer");
        };
    }
}
