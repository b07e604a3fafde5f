package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.SignedHeaders;
import io.parallelix.node.crypto.Verdict;
import io.parallelix.node.daemon.service.FakeEngine;
import io.parallelix.node.daemon.service.FakeGeneration;
import io.parallelix.node.gpu.GenerationInfo;
import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.testing.NpmRefs;
import io.parallelix.node.testing.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI client (npm {@code openai}, scripts/refs/openai_generation.mjs) against a
 * real node on loopback (fake engine): completions and chat completions, whole and streamed, as
 * the client's user sees them (the OpenAI objects and chunks, nothing of the trailer), the same
 * text either way, every answer's PoE verified (headers by pxnode's verifier; the streams' trailer
 * by hand: SHA-256 and RSA-PSS over the bytes before it), errors before and during a stream.
 * Needs node; fails, never skips, without it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenerationClientTest {
    static final GenerationInfo INFO = new GenerationInfo(512, 256, 300, List.of(256), true, 4);
    private static final String PROMPT = "Once upon a time";

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private TestNode node;
    private Path out;
    private Subprocess.Result client;

    @BeforeAll
    void start() throws Exception {
        node = TestNode.start(
                dir,
                TestNode.newKey(),
                Map.of(),
                (config, clock) -> FakeEngine.of(List.of("add"), List.of(FakeEngine.generation("g", INFO))));
        out = Files.createDirectories(dir.resolve("client"));
        client = NpmRefs.node("openai_generation.mjs", node.base + "/v1", out.toString(), "g")
                .withTimeout(Duration.ofSeconds(90))
                .run();
        if (client.exit() != 0) {
            fail("the OpenAI client script failed (node 20+ and scripts/refs.sh are needed): %s", client);
        }
    }

    @AfterAll
    void stop() {
        node.close();
    }

    private JsonNode read(String file) throws Exception {
        return mapper.readTree(out.resolve(file).toFile());
    }

    /** What the fake generates for seed 7, choice 0, in {@code steps} tokens. */
    private static String expected(int steps) {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < steps; s++) {
            sb.append((char) FakeGeneration.sampled(SamplingParams.defaults(7), 0, s));
        }
        return sb.toString();
    }

    private static List<Integer> bytes(String s) {
        List<Integer> ids = new ArrayList<>();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            ids.add(b & 0xff);
        }
        return ids;
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> ids = new ArrayList<>();
        array.forEach(n -> ids.add(n.asInt()));
        return ids;
    }

    @Test
    void completion_isOpenAisTextCompletion_withTokenIdsAndPxnode() throws Exception {
        JsonNode c = read("completion.data.json");
        assertThat(c.get("id").asText()).isEqualTo("cmpl-req_gen_completion");
        assertThat(c.get("object").asText()).isEqualTo("text_completion");
        assertThat(c.get("model").asText()).isEqualTo("g");
        JsonNode choice = c.at("/choices/0");
        assertThat(choice.get("text").asText()).isEqualTo(expected(12));
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(choice.get("token_ids")).hasSize(12);
        assertThat(choice.at("/logprobs/tokens")).hasSize(12);
        assertThat(choice.at("/logprobs/top_logprobs/0").size()).isBetween(2, 3); // two alternatives and the sampled
        assertThat(ints(choice.at("/logprobs/text_offset"))).startsWith(0, 1, 2);
        assertThat(c.at("/usage/prompt_tokens").asInt()).isEqualTo(PROMPT.length());
        assertThat(c.at("/usage/completion_tokens").asInt()).isEqualTo(12);
        assertThat(c.at("/usage/total_tokens").asInt()).isEqualTo(PROMPT.length() + 12);
        assertThat(c.at("/pxnode/model_sha256").asText()).isEqualTo(FakeEngine.SHA256);
        assertThat(ints(c.at("/pxnode/prompt_token_ids"))).isEqualTo(bytes(PROMPT));
    }

    @Test
    void wholeAnswers_verifyByTheirHeaders_andTamperingBreaksThem() throws Exception {
        EnvelopeVerifier verifier = new EnvelopeVerifier(CryptoProvider.JDK);
        for (String call : List.of("completion", "chat")) {
            byte[] body = Files.readAllBytes(out.resolve(call + ".body"));
            var headers = headers(call);
            assertThat(headers.get("pxnode-result-format"))
                    .containsExactly(
                            call.equals("chat") ? "openai.chat.completions.v1+json" : "openai.completions.v1+json");
            assertThat(verifier.verifyHeaders(body, headers, node.key.publicKey()))
                    .as(call)
                    .isEqualTo(Verdict.ok());
            body[body.length / 2] ^= 1;
            assertThat(verifier.verifyHeaders(body, headers, node.key.publicKey())
                            .failed())
                    .isEqualTo(Verdict.Check.POE);
        }
    }

    @Test
    void completionStream_theUserSeesOpenAisChunksOnly_andTheSameTextAndTokens() throws Exception {
        JsonNode chunks = read("completion-stream.data.json");
        JsonNode whole = read("completion.data.json").at("/choices/0");
        assertThat(chunks).hasSize(12 + 2); // a chunk per token, the finish, the usage
        StringBuilder text = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < chunks.size() - 1; i++) {
            JsonNode chunk = chunks.get(i);
            assertThat(chunk.get("object").asText()).isEqualTo("text_completion");
            assertThat(chunk.get("id").asText()).isEqualTo("cmpl-req_gen_completion-stream");
            assertThat(chunk.get("usage").isNull()).isTrue();
            assertThat(chunk.has("pxnode")).isEqualTo(i == 0);
            text.append(chunk.at("/choices/0/text").asText());
            ids.addAll(ints(chunk.at("/choices/0/token_ids")));
            assertThat(chunk.at("/choices/0/finish_reason").isNull()).isEqualTo(i < chunks.size() - 2);
        }
        assertThat(text.toString()).isEqualTo(whole.get("text").asText());
        assertThat(ids).isEqualTo(ints(whole.get("token_ids")));
        assertThat(chunks.get(12).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        JsonNode usage = chunks.get(13);
        assertThat(usage.get("choices")).isEmpty();
        assertThat(usage.at("/usage/completion_tokens").asInt()).isEqualTo(12);
        assertThat(ints(chunks.get(0).at("/pxnode/prompt_token_ids"))).isEqualTo(bytes(PROMPT));
        assertThat(chunks.get(3).at("/choices/0/logprobs/text_offset/0").asInt())
                .isEqualTo(3);
    }

    @Test
    void chat_isOpenAisChatCompletion_andItsStreamAddsUpToIt() throws Exception {
        JsonNode c = read("chat.data.json");
        assertThat(c.get("id").asText()).isEqualTo("chatcmpl-req_gen_chat");
        assertThat(c.get("object").asText()).isEqualTo("chat.completion");
        JsonNode message = c.at("/choices/0/message");
        assertThat(message.get("role").asText()).isEqualTo("assistant");
        assertThat(message.get("content").asText()).isEqualTo(expected(10));
        JsonNode lp = c.at("/choices/0/logprobs/content/0");
        assertThat(lp.get("token").asText()).isEqualTo(expected(1));
        assertThat(ints(lp.get("bytes"))).isEqualTo(bytes(expected(1)));
        assertThat(lp.get("top_logprobs")).hasSize(2);
        String rendered = "<|system|>Be brief.\n<|user|>Hi\nthere\n<|assistant|>";
        assertThat(ints(c.at("/pxnode/prompt_token_ids"))).isEqualTo(bytes(rendered));

        JsonNode chunks = read("chat-stream.data.json");
        assertThat(chunks).hasSize(1 + 10 + 1 + 1); // the role, a chunk per token, the finish, the usage
        assertThat(chunks.get(0).at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(chunks.get(0).has("pxnode")).isTrue();
        StringBuilder text = new StringBuilder();
        for (JsonNode chunk : chunks) {
            if (!chunk.get("choices").isEmpty()) {
                assertThat(chunk.get("object").asText()).isEqualTo("chat.completion.chunk");
                text.append(chunk.at("/choices/0/delta/content").asText(""));
            }
        }
        assertThat(text.toString()).isEqualTo(message.get("content").asText());
        assertThat(chunks.get(11).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(chunks.get(11).at("/choices/0/delta").isEmpty()).isTrue();
        assertThat(chunks.get(12).at("/usage/total_tokens").asInt())
                .isEqualTo(bytes(rendered).size() + 10);
    }

    @Test
    void chatStreamHelper_accumulatesEveryChoice() throws Exception {
        JsonNode c = read("chat-helper.data.json");
        assertThat(c.get("choices")).hasSize(2);
        for (int i = 0; i < 2; i++) {
            assertThat(c.at("/choices/" + i + "/message/content").asText()).hasSize(10);
            assertThat(c.at("/choices/" + i + "/finish_reason").asText()).isEqualTo("length");
        }
        assertThat(c.at("/choices/0/message/content").asText()).isEqualTo(expected(10));
        assertThat(c.at("/choices/1/message/content").asText()).isNotEqualTo(expected(10));
    }

    @Test
    void streams_carryTheirPoeInTheTrailer_overEveryByteBeforeIt() throws Exception {
        for (String call : List.of("completion-stream", "chat-stream")) {
            byte[] raw = Files.readAllBytes(out.resolve(call + ".body"));
            var headers = headers(call);
            assertThat(headers.get("content-type")).containsExactly("text/event-stream");
            assertThat(headers.get("cache-control")).containsExactly("no-cache");
            assertThat(headers.get("pxnode-request-id")).containsExactly("req_gen_" + call);
            assertThat(headers.get("pxnode-result-format"))
                    .singleElement()
                    .asString()
                    .endsWith("+sse");
            assertThat(headers.get("pxnode-poe")).isNull();
            StreamProof.Checked checked = StreamProof.check(raw, node.key.publicKey());
            assertThat(checked.requestId()).isEqualTo("req_gen_" + call);
            assertThat(checked.nodeId()).isEqualTo(node.key.nodeId().hex());
            assertThat(checked.valid()).as(call).isTrue();
            raw[10] ^= 1;
            assertThat(StreamProof.check(raw, node.key.publicKey()).valid()).isFalse();
        }
    }

    @Test
    void errors_beforeTheStreamAreAStatus_afterItAnErrorEvent() throws Exception {
        JsonNode before = read("before-stream.error.json");
        assertThat(before.get("class").asText()).isEqualTo("NotFoundError");
        assertThat(before.get("status").asInt()).isEqualTo(404);
        JsonNode mid = read("mid-stream.error.json");
        assertThat(mid.get("class").asText()).isEqualTo("APIError");
        assertThat(mid.get("code").asText()).isEqualTo("model_failed");
        assertThat(mid.get("type").asText()).isEqualTo("server_error");
        assertThat(mid.get("chunks").asInt()).isEqualTo(3);
    }

    private Map<String, List<String>> headers(String call) throws Exception {
        return SignedHeaders.parse(Files.readString(out.resolve(call + ".headers"), StandardCharsets.ISO_8859_1));
    }
}
