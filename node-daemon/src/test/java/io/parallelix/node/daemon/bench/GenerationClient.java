package io.parallelix.node.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;

/**
 * A /v1/completions client for the bench (java.net.http, HTTP/1.1, loopback): one greedy request
 * of token ids, non-streamed or streamed, timed on the client. Streamed, every {@code data:} event
 * is stamped as its line arrives, so the first token event gives the time to first token and the
 * gaps between token events the per-token latency; the answer ends with the {@code [DONE]} event
 * after the signed trailer. Each answer is checked: status 200, {@code length} as finish reason,
 * and the token ids it carries.
 */
final class GenerationClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: token ids in order, the texts joined, and client times in ns from the send. */
    @SuppressWarnings("ArrayRecordComponent")
    record Answer(int[] tokens, String text, long[] tokenNanos, long endNanos, int bytes, boolean trailer) {}

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();
    private final URI url;
    private final String model;

    GenerationClient(URI base, String model) {
        this.url = base.resolve("/v1/completions");
        this.model = model;
    }

    Answer complete(int[] prompt, int maxTokens, boolean stream) throws IOException, InterruptedException {
        String body = "{\"model\":\"" + model + "\",\"prompt\":"
                + Arrays.toString(prompt).replace(" ", "") + ",\"max_tokens\":" + maxTokens
                + ",\"temperature\":0,\"seed\":1,\"stream\":" + stream + "}";
        HttpRequest request = HttpRequest.newBuilder(url)
                .header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(10))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        long t0 = System.nanoTime();
        HttpResponse<InputStream> r = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = r.body()) {
            if (r.statusCode() != 200) {
                throw new IOException("/v1/completions answered " + r.statusCode() + ": "
                        + new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
            return stream ? events(in, t0, maxTokens) : whole(in, t0, maxTokens);
        }
    }

    private static Answer whole(InputStream in, long t0, int maxTokens) throws IOException {
        byte[] bytes = in.readAllBytes();
        long end = System.nanoTime() - t0;
        JsonNode choice = JSON.readTree(bytes).path("choices").path(0);
        int[] ids = ids(choice.path("token_ids"));
        check(choice.path("finish_reason").asText(), ids.length, maxTokens);
        return new Answer(ids, choice.path("text").asText(), new long[0], end, bytes.length, false);
    }

    private static Answer events(InputStream in, long t0, int maxTokens) throws IOException {
        BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        int[] ids = new int[maxTokens];
        long[] at = new long[maxTokens];
        int n = 0;
        int bytes = 0;
        StringBuilder text = new StringBuilder();
        String finish = null;
        boolean trailer = false;
        boolean done = false;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            long now = System.nanoTime() - t0;
            bytes += line.length() + 1;
            if (line.startsWith(": pxnode-poe ")) {
                trailer = true;
            } else if (line.equals("data: [DONE]")) {
                done = true;
            } else if (line.startsWith("data: ")) {
                JsonNode choice =
                        JSON.readTree(line.substring(6)).path("choices").path(0);
                for (int id : ids(choice.path("token_ids"))) {
                    if (n == ids.length) {
                        throw new IOException("more than " + maxTokens + " tokens streamed");
                    }
                    ids[n] = id;
                    at[n++] = now;
                }
                text.append(choice.path("text").asText());
                if (!choice.path("finish_reason").isMissingNode()
                        && !choice.path("finish_reason").isNull()) {
                    finish = choice.path("finish_reason").asText();
                }
            }
        }
        long end = System.nanoTime() - t0;
        if (!done || !trailer) {
            throw new IOException("the stream ended without " + (trailer ? "[DONE]" : "its pxnode-poe trailer"));
        }
        check(String.valueOf(finish), n, maxTokens);
        return new Answer(ids, text.toString(), at, end, bytes, true);
    }

    private static void check(String finish, int tokens, int maxTokens) throws IOException {
        if (!finish.equals("length") || tokens != maxTokens) {
            throw new IOException("expected " + maxTokens + " tokens ending on 'length', got " + tokens + " ending on '"
                    + finish + "' (an end-of-sequence id came up: see docs/benchmarks.md, Generation)");
        }
    }

    private static int[] ids(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }
}
