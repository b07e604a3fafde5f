package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.Verdict;
import io.parallelix.node.gpu.testing.NumpyReference;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.testing.NpmRefs;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Generation end to end on a real (generated) Llama-style model in the real node: the official
 * OpenAI client on completions and chat, whole and streamed; every answer verified by the
 * independent Python verifier (headers or the stream's trailer) and the Java one; greedy token ids
 * in the body equal to the numpy no-cache reference; the same request twice gives the same bytes
 * but {@code created}; the generation metrics count the tokens.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GenerationEndToEndTest {
    private static final String MODEL = TestDecoders.LLAMA;
    private static final int[] PROMPT = {72, 101, 108, 108, 111, 32, 119, 111};

    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private TestNode node;
    private Path out;
    private Path pub;
    private Path models;

    @BeforeAll
    void start() throws Exception {
        models = Files.createDirectories(dir.resolve("models"));
        TestDecoders.write(models, TestDecoders.llama(MODEL));
        node = TestNode.start(dir, TestNode.newKey(), Map.of());
        pub = Files.writeString(dir.resolve("node.pub.pem"), KeyFiles.publicKeyPem(node.key.publicKey()));
        out = Files.createDirectories(dir.resolve("client"));
        NpmRefs.node("openai_generation.mjs", node.base + "/v1", out.toString(), MODEL)
                .withTimeout(Duration.ofSeconds(120))
                .run()
                .requireSuccess();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void openaiClient_streamedAndWhole_sameTextAndTokens_onTheRealModel() throws Exception {
        JsonNode whole = mapper.readTree(out.resolve("completion.data.json").toFile());
        JsonNode chunks =
                mapper.readTree(out.resolve("completion-stream.data.json").toFile());
        StringBuilder text = new StringBuilder();
        List<Integer> ids = new ArrayList<>();
        for (JsonNode c : chunks) {
            for (JsonNode choice : c.path("choices")) {
                text.append(choice.path("text").asText());
                choice.path("token_ids").forEach(t -> ids.add(t.asInt()));
            }
        }
        JsonNode choice = whole.at("/choices/0");
        assertThat(text.toString()).isEqualTo(choice.path("text").asText());
        List<Integer> wholeIds = new ArrayList<>();
        choice.path("token_ids").forEach(t -> wholeIds.add(t.asInt()));
        assertThat(ids).isEqualTo(wholeIds).isNotEmpty();
        assertThat(whole.at("/usage/completion_tokens").asInt()).isEqualTo(wholeIds.size());
        assertThat(whole.at("/pxnode/model_sha256").asText()).hasSize(64);
        JsonNode last = chunks.get(chunks.size() - 1);
        assertThat(last.at("/usage/total_tokens").asInt())
                .isEqualTo(whole.at("/usage/total_tokens").asInt());
        JsonNode chat = mapper.readTree(out.resolve("chat.data.json").toFile());
        assertThat(chat.at("/choices/0/message/role").asText()).isEqualTo("assistant");
        assertThat(chat.at("/choices/0/logprobs/content"))
                .hasSize(chat.at("/usage/completion_tokens").asInt());
    }

    @Test
    void everyAnswer_verifiesInPythonAndJava() throws Exception {
        for (String call : List.of("completion", "chat")) {
            Subprocess.Result py = python(
                    "--body",
                    out.resolve(call + ".body").toString(),
                    "--headers",
                    out.resolve(call + ".headers").toString());
            assertThat(py.exit()).as("%s: %s", call, py).isZero();
        }
        for (String call : List.of("completion-stream", "chat-stream")) {
            Path body = out.resolve(call + ".body");
            Subprocess.Result py = python("--stream", body.toString(), "--request-id", "req_gen_" + call);
            assertThat(py.exit()).as("%s: %s", call, py).isZero();
            Verdict v = new EnvelopeVerifier(CryptoProvider.JDK)
                    .verifyStream(Files.readAllBytes(body), node.key.publicKey());
            assertThat(v.valid()).as("%s: %s", call, v).isTrue();
            byte[] tampered = Files.readAllBytes(body);
            int at = new String(tampered, StandardCharsets.ISO_8859_1).indexOf("\"text\":\"") + 8;
            tampered[at] ^= 1;
            assertThat(new EnvelopeVerifier(CryptoProvider.JDK)
                            .verifyStream(tampered, node.key.publicKey())
                            .valid())
                    .isFalse();
        }
    }

    private Subprocess.Result python(String... args) {
        List<String> cmd =
                new ArrayList<>(List.of("python3", "scripts/verify_envelope.py", "--public-key", pub.toString()));
        cmd.addAll(Arrays.asList(args));
        return Subprocess.of(RepoRoot.path(), cmd).run();
    }

    @Test
    void greedyTokenIds_areTheNoCacheReferencesTokens() throws Exception {
        String ids = Arrays.toString(PROMPT).replace(" ", "");
        HttpResponse<byte[]> r = node.postJson(
                "/v1/completions",
                "{\"model\":\"" + MODEL + "\",\"prompt\":" + ids + ",\"max_tokens\":12,\"temperature\":0}");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = mapper.readTree(r.body());
        int[] ours = new int[body.at("/choices/0/token_ids").size()];
        Arrays.setAll(ours, i -> body.at("/choices/0/token_ids").get(i).asInt());
        int[] expected = NumpyReference.greedy(models.resolve(MODEL), 12, false, List.of(PROMPT))
                .get(0)
                .tokens();
        assertThat(ours).isEqualTo(Arrays.copyOf(expected, ours.length));
        assertThat(body.at("/pxnode/prompt_token_ids").size()).isEqualTo(PROMPT.length);
    }

    @Test
    void theSameRequestTwice_sameBytesButCreated_andTheMetricsCountTokens() throws Exception {
        String request = "{\"model\":\"" + MODEL + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}],"
                + "\"max_tokens\":8,\"temperature\":0.9,\"seed\":3,\"stream\":true}";
        String[] bodies = new String[2];
        for (int i = 0; i < 2; i++) {
            HttpResponse<byte[]> r = node.post(
                    "/v1/chat/completions",
                    "application/json",
                    request.getBytes(StandardCharsets.UTF_8),
                    "Pxnode-Request-Id",
                    "req-same");
            assertThat(r.statusCode()).isEqualTo(200);
            String body = new String(r.body(), StandardCharsets.UTF_8);
            bodies[i] =
                    body.substring(0, body.indexOf(": pxnode-poe ")).replaceAll("\"created\":\\d+", "\"created\":0");
        }
        assertThat(bodies[1]).isEqualTo(bodies[0]);
        String metrics = new String(node.get("/metrics").body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("pxnode_generation_tokens_total").contains("model=\"" + MODEL + "\"");
    }
}
