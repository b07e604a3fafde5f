package io.parallelix.node.daemon.hardening;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.gpu.EmbeddingInfo;
import io.parallelix.node.gpu.GenerationInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bad-input catalogue of /v1/completions and /v1/chat/completions, beside the embeddings'
 * (OpenAiBadInputCatalogTest): one broken input per line, over a real socket to a node on the fake
 * engine, streamed or not. Each answer is a 400 (or the status shown) with an OpenAI-shaped error
 * naming the field, no stack trace; every refused field is refused by name, never ignored; the
 * node then serves a valid request.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(30)
class OpenAiGenerationBadInputCatalogTest {
    private static final Pattern STACK_TRACE = Pattern.compile("Exception|\\tat |Caused by|\\b(java|io\\.netty)\\.");
    private static final String COMPLETIONS = "/v1/completions";
    private static final String CHAT = "/v1/chat/completions";
    private static final GenerationInfo INFO = new GenerationInfo(64, 32, 300, List.of(256), true, 4);
    private static final GenerationInfo NO_TEMPLATE = new GenerationInfo(64, 32, 300, List.of(256), false, 4);

    private final ObjectMapper mapper = new ObjectMapper();
    private TestNode node;
    private int port;

    record Case(int status, String code, @Nullable String param, String fragment, byte[] request) {}

    private static Arguments c(
            String kind, int status, String code, @Nullable String param, String fragment, byte[] r) {
        return Arguments.of(kind, new Case(status, code, param, fragment, r));
    }

    /** A completions body: the prompt "x" on model g, then {@code more} (",\"field\":value..."). */
    private static Arguments text(String kind, @Nullable String param, String fragment, String more) {
        return c(
                kind,
                400,
                "invalid_request",
                param,
                fragment,
                post(COMPLETIONS, "{\"model\":\"g\",\"prompt\":\"x\"" + more + "}"));
    }

    private static Arguments chat(String kind, @Nullable String param, String fragment, String more) {
        return c(
                kind,
                400,
                "invalid_request",
                param,
                fragment,
                post(CHAT, "{\"model\":\"g\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]" + more + "}"));
    }

    private static Arguments chatMessages(String kind, @Nullable String param, String fragment, String messages) {
        return c(
                kind,
                400,
                "invalid_request",
                param,
                fragment,
                post(CHAT, "{\"model\":\"g\",\"messages\":" + messages + "}"));
    }

    private static Arguments body(String kind, String path, @Nullable String param, String fragment, String body) {
        return c(kind, 400, "invalid_request", param, fragment, post(path, body));
    }

    private static byte[] post(String path, String body, String... headers) {
        return RawHttp.request("POST", path, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
    }

    Stream<Arguments> catalogue() {
        String ids = "[" + String.join(",", Collections.nCopies(70, "1")) + "]";
        return Stream.of(
                c(
                        "http: GET on completions",
                        405,
                        "method_not_allowed",
                        null,
                        "allowed: POST",
                        RawHttp.get(COMPLETIONS)),
                c("http: GET on chat", 405, "method_not_allowed", null, "allowed: POST", RawHttp.get(CHAT)),
                c(
                        "http: text/plain",
                        415,
                        "unsupported_media_type",
                        null,
                        "application/json",
                        RawHttp.request("POST", CHAT, "text/plain", "{}".getBytes(StandardCharsets.UTF_8))),
                c(
                        "id: bad characters",
                        400,
                        "invalid_request",
                        "Pxnode-Request-Id",
                        "character",
                        post(COMPLETIONS, "{\"model\":\"g\",\"prompt\":\"x\"}", "Pxnode-Request-Id", "req 1")),
                c("model: unknown", 404, "not_found", null, "unknown model 'nope'", post(CHAT, "{\"model\":\"nope\"}")),
                body("model: missing", COMPLETIONS, "model", "is required", "{\"prompt\":\"x\"}"),
                body(
                        "model: an embedding model",
                        COMPLETIONS,
                        "model",
                        "is an embedding model",
                        "{\"model\":\"e\",\"prompt\":\"x\"}"),
                body(
                        "model: a tensor model, chat",
                        CHAT,
                        "model",
                        "is a tensor model",
                        "{\"model\":\"add\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                body(
                        "model: no chat template",
                        CHAT,
                        "model",
                        "no chat template",
                        "{\"model\":\"raw\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}"),
                body("json: malformed", COMPLETIONS, "prompt", "malformed JSON", "{\"model\":\"g\",\"prompt\":\"x"),
                body("json: trailing content", COMPLETIONS, null, "trailing", "{\"model\":\"g\",\"prompt\":\"x\"}{}"),
                text("json: duplicate field", "n", "Duplicate field", ",\"n\":1,\"n\":2"),
                text("json: unknown field", "ignore_eos", "unknown field", ",\"ignore_eos\":true"),
                text("json: a chat field on completions", "messages", "unknown field", ",\"messages\":[]"),
                chat("json: a completions field on chat", "prompt", "unknown field", ",\"prompt\":\"x\""),
                body("prompt: missing", COMPLETIONS, "prompt", "is required", "{\"model\":\"g\"}"),
                body("prompt: empty", COMPLETIONS, "prompt", "must not be empty", "{\"model\":\"g\",\"prompt\":\"\"}"),
                body("prompt: empty array", COMPLETIONS, "prompt", "empty array", "{\"model\":\"g\",\"prompt\":[]}"),
                body(
                        "prompt: a batch of strings",
                        COMPLETIONS,
                        "prompt",
                        "more than one prompt",
                        "{\"model\":\"g\",\"prompt\":[\"a\",\"b\"]}"),
                body(
                        "prompt: a batch of id arrays",
                        COMPLETIONS,
                        "prompt",
                        "more than one prompt",
                        "{\"model\":\"g\",\"prompt\":[[1],[2]]}"),
                body("prompt: an object", COMPLETIONS, "prompt", "got an object", "{\"model\":\"g\",\"prompt\":{}}"),
                body("prompt: negative id", COMPLETIONS, "prompt[1]", "got -1", "{\"model\":\"g\",\"prompt\":[1,-1]}"),
                body(
                        "prompt: id at the vocabulary size",
                        COMPLETIONS,
                        "prompt[1]",
                        "vocabulary size 300",
                        "{\"model\":\"g\",\"prompt\":[1,300]}"),
                body(
                        "prompt: unpaired surrogate",
                        COMPLETIONS,
                        "prompt",
                        "unpaired surrogate",
                        "{\"model\":\"g\",\"prompt\":\"a\\ud800\"}"),
                body(
                        "prompt: longer than the context",
                        COMPLETIONS,
                        "prompt",
                        "no room",
                        "{\"model\":\"g\",\"prompt\":" + ids + "}"),
                chatMessages(
                        "messages: longer than the context",
                        "messages",
                        "no room",
                        "[{\"role\":\"user\",\"content\":\"" + "x".repeat(80) + "\"}]"),
                body("messages: missing", CHAT, "messages", "is required", "{\"model\":\"g\"}"),
                chatMessages("messages: empty", "messages", "must not be empty", "[]"),
                chatMessages("messages: a string", "messages", "must be an array", "\"hi\""),
                chatMessages("messages: no role", "messages[0].role", "is required", "[{\"content\":\"x\"}]"),
                chatMessages("messages: no content", "messages[0].content", "is required", "[{\"role\":\"user\"}]"),
                chatMessages(
                        "messages: unknown role",
                        "messages[0].role",
                        "must be system",
                        "[{\"role\":\"robot\",\"content\":\"x\"}]"),
                chatMessages(
                        "messages: a tool message",
                        "messages[1].role",
                        "not supported",
                        "[{\"role\":\"user\",\"content\":\"x\"},{\"role\":\"tool\",\"content\":\"y\"}]"),
                chatMessages(
                        "messages: tool calls",
                        "messages[0].tool_calls",
                        "not supported",
                        "[{\"role\":\"assistant\",\"content\":\"x\",\"tool_calls\":[]}]"),
                chatMessages(
                        "messages: a name",
                        "messages[0].name",
                        "not supported",
                        "[{\"role\":\"user\",\"content\":\"x\",\"name\":\"bob\"}]"),
                chatMessages(
                        "messages: an image part",
                        "messages[0].content[1].type",
                        "\"image_url\" parts",
                        "[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"u\"}}]}]"),
                chatMessages(
                        "messages: an audio part",
                        "messages[0].content[0].type",
                        "\"input_audio\" parts",
                        "[{\"role\":\"user\",\"content\":[{\"type\":\"input_audio\"}]}]"),
                chatMessages(
                        "messages: empty parts",
                        "messages[0].content",
                        "empty array",
                        "[{\"role\":\"user\",\"content\":[]}]"),
                chatMessages(
                        "messages: unknown field",
                        "messages[0].weight",
                        "unknown field",
                        "[{\"role\":\"user\",\"content\":\"x\",\"weight\":1}]"),
                text("max_tokens: zero", "max_tokens", "from 1", ",\"max_tokens\":0"),
                text("max_tokens: above the model's", "max_tokens", "at most this model's 32", ",\"max_tokens\":33"),
                text("max_tokens: a string", "max_tokens", "got a string", ",\"max_tokens\":\"8\""),
                chat(
                        "max_completion_tokens: above the model's",
                        "max_completion_tokens",
                        "at most this model's 32",
                        ",\"max_completion_tokens\":40"),
                chat(
                        "max_completion_tokens: with max_tokens",
                        "max_completion_tokens",
                        "not both",
                        ",\"max_tokens\":4,\"max_completion_tokens\":4"),
                text("temperature: above 2", "temperature", "between 0 and 2", ",\"temperature\":2.5"),
                text("temperature: a string", "temperature", "must be a number", ",\"temperature\":\"hot\""),
                text("top_p: zero", "top_p", "greater than 0", ",\"top_p\":0"),
                text("top_k: below -1", "top_k", "from -1", ",\"top_k\":-2"),
                text("min_p: above 1", "min_p", "between 0 and 1", ",\"min_p\":1.5"),
                text(
                        "repetition_penalty: zero",
                        "repetition_penalty",
                        "between 0.01 and 100",
                        ",\"repetition_penalty\":0"),
                chat("frequency_penalty: above 2", "frequency_penalty", "between -2 and 2", ",\"frequency_penalty\":3"),
                chat("presence_penalty: below -2", "presence_penalty", "between -2 and 2", ",\"presence_penalty\":-3"),
                text("seed: a fraction", "seed", "got a non-integer", ",\"seed\":1.5"),
                text("seed: above 2^63", "seed", "9223372036854775808", ",\"seed\":9223372036854775808"),
                text("n: zero", "n", "from 1 to 4", ",\"n\":0"),
                text("n: above server.max_generation_choices", "n", "from 1 to 4", ",\"n\":5"),
                text("stop: a number", "stop", "string or an array", ",\"stop\":1"),
                text("stop: five strings", "stop", "at most 4", ",\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]"),
                text("stop: an empty string", "stop[1]", "1 to 256", ",\"stop\":[\"a\",\"\"]"),
                text("stop: too long", "stop", "1 to 256", ",\"stop\":\"" + "s".repeat(257) + "\""),
                text("stop: a number in the array", "stop[0]", "must be a string", ",\"stop\":[1]"),
                text("stream: a string", "stream", "true or false", ",\"stream\":\"yes\""),
                text(
                        "stream_options: without stream",
                        "stream_options",
                        "only allowed",
                        ",\"stream_options\":{\"include_usage\":true}"),
                text(
                        "stream_options: unknown option",
                        "stream_options.continuous_usage_stats",
                        "unknown field",
                        ",\"stream\":true,\"stream_options\":{\"continuous_usage_stats\":true}"),
                text("logprobs: true on completions", "logprobs", "must be an integer", ",\"logprobs\":true"),
                text("logprobs: above 20", "logprobs", "from 0 to 20", ",\"logprobs\":21"),
                chat("logprobs: an integer on chat", "logprobs", "true or false", ",\"logprobs\":2"),
                chat("top_logprobs: without logprobs", "top_logprobs", "needs logprobs: true", ",\"top_logprobs\":2"),
                chat(
                        "top_logprobs: above 20",
                        "top_logprobs",
                        "from 0 to 20",
                        ",\"logprobs\":true,\"top_logprobs\":21"),
                text("user: a number", "user", "must be a string", ",\"user\":1"),
                text("logit_bias", "logit_bias", "not supported", ",\"logit_bias\":{\"50256\":-100}"),
                text("echo: true", "echo", "not supported", ",\"echo\":true"),
                text("best_of: 2", "best_of", "not supported", ",\"best_of\":2"),
                text("suffix", "suffix", "not supported", ",\"suffix\":\"end\""),
                chat(
                        "tools",
                        "tools",
                        "does not call tools",
                        ",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]"),
                chat("tool_choice", "tool_choice", "does not call tools", ",\"tool_choice\":\"auto\""),
                chat("functions", "functions", "does not call tools", ",\"functions\":[{\"name\":\"f\"}]"),
                chat("function_call", "function_call", "does not call tools", ",\"function_call\":\"auto\""),
                chat(
                        "parallel_tool_calls: a string",
                        "parallel_tool_calls",
                        "does not call tools",
                        ",\"parallel_tool_calls\":\"y\""),
                chat(
                        "response_format: json",
                        "response_format",
                        "no JSON mode",
                        ",\"response_format\":{\"type\":\"json_object\"}"),
                chat("audio", "audio", "not supported", ",\"audio\":{\"voice\":\"alloy\"}"),
                chat("modalities: audio", "modalities", "only [\"text\"]", ",\"modalities\":[\"text\",\"audio\"]"),
                chat(
                        "prediction",
                        "prediction",
                        "not supported",
                        ",\"prediction\":{\"type\":\"content\",\"content\":\"x\"}"),
                chat("logit_bias on chat", "logit_bias", "not supported", ",\"logit_bias\":{\"1\":5}"),
                chat(
                        "stream too: still refused before the stream",
                        "tools",
                        "does not call tools",
                        ",\"stream\":true,\"tools\":[{}]"));
    }

    @BeforeAll
    void start(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        node = TestNode.start(
                dir,
                TestNode.newKey(),
                Map.of("server.read_timeout", "2s"),
                (config, clock) -> FakeEngine.of(
                        List.of("add"),
                        List.of(
                                FakeEngine.generation("g", INFO),
                                FakeEngine.generation("raw", NO_TEMPLATE),
                                FakeEngine.embedding("e", new EmbeddingInfo(8, 32, 2000, "mean", true, false)))));
        port = node.node.address().getPort();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("catalogue")
    void badInput_isAnOpenAiShapedError_andTheNodeKeepsServing(String kind, Case c) throws Exception {
        RawHttp.Response r = RawHttp.exchange(port, c.request());
        String body = r.text();
        assertThat(r.status()).as(body).isEqualTo(c.status());
        assertThat(r.header("content-type")).isEqualTo("application/json");
        JsonNode error = mapper.readTree(body).get("error");
        assertThat(error.properties())
                .extracting(Map.Entry::getKey)
                .containsExactly("message", "type", "param", "code");
        assertThat(error.get("code").asText()).as(body).isEqualTo(c.code());
        assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
        assertThat(error.get("param").isNull() ? null : error.get("param").asText())
                .as(body)
                .isEqualTo(c.param());
        assertThat(error.get("message").asText()).as(body).contains(c.fragment());
        assertThat(STACK_TRACE.matcher(body).find()).as(body).isFalse();
        RawHttp.Response after = RawHttp.exchange(
                port,
                post(
                        CHAT,
                        "{\"model\":\"g\",\"messages\":[{\"role\":\"user\",\"content\":\"still\"}],\"max_tokens\":2}"));
        assertThat(after.status()).as(after.text()).isEqualTo(200);
        assertThat(after.header("pxnode-poe")).isNotNull();
    }

    Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of(
                        COMPLETIONS,
                        "{\"model\":\"g\",\"prompt\":[\"one\"],\"echo\":false,\"best_of\":1,\"suffix\":null,"
                                + "\"logit_bias\":{},\"user\":\"u\",\"top_k\":-1,\"n\":null,\"stop\":null,\"logprobs\":null}"),
                Arguments.of(COMPLETIONS, "{\"model\":\"g\",\"prompt\":[[1,2,3]],\"seed\":-9223372036854775808}"),
                Arguments.of(
                        CHAT,
                        "{\"model\":\"g\",\"messages\":[{\"role\":\"developer\",\"content\":\"x\",\"name\":null},"
                                + "{\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"y\"}],\"tool_calls\":null}],"
                                + "\"tools\":[],\"tool_choice\":\"none\",\"response_format\":{\"type\":\"text\"},"
                                + "\"modalities\":[\"text\"],\"parallel_tool_calls\":false,\"audio\":null,\"max_tokens\":3}"));
    }

    /** What asks for nothing the node lacks passes: null, the no-op values, the one-prompt batch forms. */
    @ParameterizedTest
    @MethodSource("accepted")
    void noOpValues_areAccepted(String path, String body) throws Exception {
        RawHttp.Response r = RawHttp.exchange(port, post(path, body));
        assertThat(r.status()).as(r.text()).isEqualTo(200);
    }
}
