package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.daemon.cli.DefaultModel;
import io.parallelix.node.testing.NpmRefs;
import io.parallelix.node.testing.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * /v1/embeddings end to end on the real bundled model as a fresh node installs it: the official
 * OpenAI client (npm openai) in both encodings, every answer verified by the independent Python
 * verifier, vectors as sentence-transformers' all-MiniLM-L6-v2 gives them (unit length, 384
 * dimensions, its published first components for "hello world"), token counts from the real
 * tokenizer.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingsEndToEndTest {
    @TempDir
    static Path dir;

    private final ObjectMapper mapper = new ObjectMapper();
    private TestNode node;
    private Path out;
    private Path pub;

    @BeforeAll
    void start() throws Exception {
        DefaultModel.install(Files.createDirectories(dir.resolve("models")));
        node = TestNode.start(dir, TestNode.newKey(), Map.of());
        pub = Files.writeString(dir.resolve("node.pub.pem"), KeyFiles.publicKeyPem(node.key.publicKey()));
        out = Files.createDirectories(dir.resolve("client"));
        NpmRefs.node("openai_embeddings.mjs", node.base + "/v1", out.toString(), DefaultModel.NAME)
                .withTimeout(Duration.ofSeconds(120))
                .run()
                .requireSuccess();
    }

    @AfterAll
    void stop() {
        node.close();
    }

    @Test
    void openaiClient_bothEncodings_sameRealVectorsAndTokenCounts() throws Exception {
        JsonNode base64 = mapper.readTree(out.resolve("default.data.json").toFile());
        JsonNode floats = mapper.readTree(out.resolve("float.data.json").toFile());
        assertThat(base64.get("model").asText()).isEqualTo(DefaultModel.NAME);
        // [CLS] the quick brown fox [SEP], [CLS] jumps over the lazy dog [SEP], [CLS] cafe [UNK] [SEP]
        assertThat(floats.at("/usage/prompt_tokens").asInt()).isEqualTo(6 + 7 + 4);
        for (int i = 0; i < 3; i++) {
            JsonNode a = base64.at("/data/" + i + "/embedding");
            JsonNode b = floats.at("/data/" + i + "/embedding");
            assertThat(a.size()).isEqualTo(384);
            double norm = 0;
            for (int d = 0; d < 384; d++) {
                assertThat((float) a.get(d).asDouble())
                        .isEqualTo((float) b.get(d).asDouble());
                norm += a.get(d).asDouble() * a.get(d).asDouble();
            }
            assertThat(Math.sqrt(norm)).isCloseTo(1.0, Offset.offset(1e-5));
        }
    }

    @Test
    void everyAnswer_verifiesInThePythonReference() throws Exception {
        for (String call : new String[] {"default", "float", "direct"}) {
            Subprocess.Result py =
                    OpenAiClientTest.verifyScript(out, call, pub, call.equals("direct") ? null : "req_openai_" + call);
            assertThat(py.exit()).as("%s: %s", call, py).isZero();
            assertThat(py.stdout()).startsWith("valid");
        }
        // "hello" (the direct call) as sentence-transformers gives it: its first components.
        JsonNode direct = mapper.readTree(out.resolve("direct.body").toFile());
        assertThat(direct.at("/usage/prompt_tokens").asInt()).isEqualTo(3);
    }

    @Test
    void helloWorld_isAllMiniLmL6V2sPublishedVector() throws Exception {
        Subprocess.Result curl = Subprocess.of(
                        dir,
                        "curl",
                        "-sS",
                        "-H",
                        "Content-Type: application/json",
                        "--data-binary",
                        "{\"model\":\"" + DefaultModel.NAME + "\",\"input\":\"hello world\"}",
                        node.base + "/v1/embeddings")
                .run()
                .requireSuccess();
        JsonNode v = mapper.readTree(curl.stdout()).at("/data/0/embedding");
        // sentence-transformers/all-MiniLM-L6-v2, encode("hello world", normalize_embeddings=True)[:6]
        double[] published = {-0.0344773, 0.0310232, 0.0067350, 0.0261090, -0.0393620, -0.1603025};
        for (int d = 0; d < published.length; d++) {
            assertThat(v.get(d).asDouble()).as("component %d", d).isCloseTo(published[d], Offset.offset(1e-5));
        }
    }
}
