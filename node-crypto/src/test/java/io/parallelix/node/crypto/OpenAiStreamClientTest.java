package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.sun.net.httpserver.HttpServer;
import io.parallelix.node.testing.NpmRefs;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI client (npm {@code openai}, scripts/refs) reads the signed streams of
 * openai-stream-v1.json, served as-is on loopback, and yields exactly their chunks: the trailer,
 * an SSE comment, is invisible to it (docs/protocol.md, "Signed streams"). Needs node; fails,
 * never skips, without it.
 */
class OpenAiStreamClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void openAiClient_skipsTheTrailer_andYieldsEveryChunk() throws Exception {
        JsonNode doc = JSON.readTree(
                RepoRoot.resolve("docs/test-vectors/openai-stream-v1.json").toFile());
        JsonNode completion = doc.at("/stream_cases/0");
        JsonNode chat = doc.at("/stream_cases/1");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/completions", e -> serve(e, completion));
        server.createContext("/v1/chat/completions", e -> serve(e, chat));
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            Subprocess.Result r =
                    NpmRefs.node("openai_signed_stream.mjs", base).run().requireSuccess();
            JsonNode seen = JSON.readTree(r.stdout());
            assertThat(seen.get("completions")).isEqualTo(chunks(completion));
            assertThat(seen.get("chat")).isEqualTo(chunks(chat));
            assertThat(seen.get("chat")).hasSize(5);
        } finally {
            server.stop(0);
        }
    }

    private static void serve(com.sun.net.httpserver.HttpExchange e, JsonNode c) throws java.io.IOException {
        e.getRequestBody().readAllBytes();
        byte[] raw = c.get("ps256_stream").asText().getBytes(StandardCharsets.UTF_8);
        e.getResponseHeaders().set("Content-Type", "text/event-stream");
        e.sendResponseHeaders(200, 0); // chunked, as a stream goes out
        try (OutputStream out = e.getResponseBody()) {
            out.write(raw);
        }
    }

    /** The JSON of each data event of the signed result: what a client should yield. */
    private static ArrayNode chunks(JsonNode c) throws Exception {
        ArrayNode out = JSON.createArrayNode();
        String result =
                new String(Base64.getDecoder().decode(c.get("result_b64").asText()), StandardCharsets.UTF_8);
        for (String line : result.split("\n")) {
            if (line.startsWith("data: ")) {
                out.add(JSON.readTree(line.substring("data: ".length())));
            }
        }
        return out;
    }
}
