package io.parallelix.node.daemon;

import io.parallelix.node.crypto.KeyException;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.daemon.config.ConfigLoader;
import io.parallelix.node.daemon.config.NodeConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A real node on 127.0.0.1, port 0, over a temporary model repository, for end-to-end tests.
 * Keys are 2048-bit (generation time) and the engine runs on CPU.
 */
public final class TestNode implements AutoCloseable {
    public final Node node;
    public final NodeKey key;
    public final NodeConfig config;
    public final URI base;
    private final HttpClient client = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    private TestNode(Node node, NodeKey key, NodeConfig config) {
        this.node = node;
        this.key = key;
        this.config = config;
        this.base = URI.create("http://127.0.0.1:" + node.address().getPort());
    }

    public static NodeKey newKey() {
        try {
            return NodeKey.generate(2048, new SecureRandom());
        } catch (KeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Config for a test node in {@code dir} serving {@code dir/models}; overrides are dotted keys. */
    public static NodeConfig config(Path dir, Map<String, String> overrides) throws Exception {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("listen", "127.0.0.1:0");
        o.put("data_dir", dir.toString());
        o.put("engine.models_dir", dir.resolve("models").toString());
        o.put("engine.provider", "cpu");
        o.put("engine.default_model", "false");
        o.put("engine.intra_op_threads", "1");
        o.put("key.generate", "false");
        o.put("server.io_threads", "2");
        o.put("server.workers", "2");
        o.put("server.drain_timeout", "10s");
        o.putAll(overrides);
        return new ConfigLoader(Map.of(), dir).load(null, o);
    }

    public static TestNode start(Path dir, NodeKey key, Map<String, String> overrides) throws Exception {
        NodeConfig config = config(dir, overrides);
        return new TestNode(Node.start(config, key, Clock.systemUTC(), "test"), key, config);
    }

    /** A node over an engine of the test's making (a fake one: no ONNX Runtime, no models on disk). */
    public static TestNode start(Path dir, NodeKey key, Map<String, String> overrides, Node.EngineOpener engine)
            throws Exception {
        NodeConfig config = config(dir, overrides);
        return new TestNode(Node.start(config, key, Clock.systemUTC(), "test", engine), key, config);
    }

    public HttpResponse<byte[]> get(String path) throws IOException, InterruptedException {
        return client.send(
                HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(30))
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<byte[]> post(String path, String contentType, byte[] body, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    public HttpResponse<byte[]> postJson(String path, String json) throws IOException, InterruptedException {
        return post(path, "application/json", json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        node.close();
    }
}
