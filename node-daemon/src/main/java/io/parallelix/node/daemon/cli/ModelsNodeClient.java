package io.parallelix.node.daemon.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** A running node's models, from /v1/models (task, digest, ready, loading) and /v1/node (provider). */
final class ModelsNodeClient {
    /** Enough for thousands of models; a larger answer is not a node's. */
    private static final int MAX_BODY = 4 << 20;

    private ModelsNodeClient() {}

    static List<ModelsListCommand.Row> rows(ObjectMapper mapper, String url) throws IOException {
        URI base;
        try {
            base = URI.create(url.endsWith("/") ? url : url + "/");
        } catch (IllegalArgumentException e) {
            throw new IOException("--node " + url + " is not a URL: " + e.getMessage(), e);
        }
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        JsonNode list = java.util.Objects.requireNonNull(get(client, mapper, base.resolve("v1/models"), true));
        JsonNode document = get(client, mapper, base.resolve("v1/node"), false); // 503 while loading
        Map<String, String> providers = new HashMap<>();
        if (document != null) {
            for (JsonNode m : document.path("models")) {
                providers.put(m.path("name").asText(), m.path("provider").asText(null));
            }
        }
        List<ModelsListCommand.Row> rows = new ArrayList<>();
        for (JsonNode m : list.path("data")) {
            String id = m.path("id").asText();
            JsonNode loading = m.path("loading");
            rows.add(new ModelsListCommand.Row(
                    id,
                    m.path("task").asText(null),
                    m.path("sha256").asText(null),
                    null,
                    null,
                    providers.get(id),
                    m.path("ready").asBoolean(false),
                    loading.isObject() ? loading.path("stage").asText() : null));
        }
        return rows;
    }

    private static @Nullable JsonNode get(HttpClient client, ObjectMapper mapper, URI uri, boolean required)
            throws IOException {
        HttpResponse<java.io.InputStream> res;
        try {
            res = client.send(
                    HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(10))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + uri);
        } catch (IOException | IllegalArgumentException e) {
            throw new IOException("cannot reach " + uri + ": " + e.getMessage(), e);
        }
        byte[] body;
        try (java.io.InputStream in = res.body()) {
            body = in.readNBytes(MAX_BODY + 1);
        }
        if (res.statusCode() != 200) {
            if (!required) {
                return null;
            }
            throw new IOException(uri + " answered HTTP " + res.statusCode()
                    + (res.statusCode() == 503 ? " (the node is starting: its models are not listed yet)" : ""));
        }
        if (body.length > MAX_BODY) {
            throw new IOException(uri + " answered more than " + MAX_BODY + " bytes; not a node's model list");
        }
        JsonNode node = mapper.readTree(body);
        if (node == null || !node.isObject()) {
            throw new IOException(uri + " did not answer a JSON object");
        }
        return node;
    }
}
