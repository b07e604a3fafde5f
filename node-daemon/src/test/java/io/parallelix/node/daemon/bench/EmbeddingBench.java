package io.parallelix.node.daemon.bench;

import io.parallelix.node.daemon.Node;
import io.parallelix.node.daemon.cli.DefaultModel;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.gpu.text.Tokenizer;
import io.parallelix.node.gpu.text.TokenizerLibrary;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The measuring half of {@code scripts/bench.sh embeddings}: /v1/embeddings over HTTP (wrk against
 * the running node) against the in-process limit ({@link EmbeddingLimit}: tokenize + ONNX Runtime
 * run + one signature, same cores, same session settings), back to back for every repeat,
 * workload and concurrency. Prints RESULT lines and a table of medians with the ratio http/limit.
 * Arguments: {@code --config FILE --node-url URL --node-pid PID --lua FILE --dir DIR
 * [--workloads emb-16,emb-256,emb-batch32 --concurrency 1,8 --repeats 3 --seconds 3]}.
 */
public final class EmbeddingBench {
    private EmbeddingBench() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = BenchArgs.parse(argv);
        NodeConfig config = BenchArgs.config(a);
        List<String> workloads = BenchArgs.list(a, "workloads", "emb-16,emb-256,emb-batch32");
        List<Integer> concurrency = BenchArgs.list(a, "concurrency", "1,8").stream()
                .map(Integer::parseInt)
                .toList();
        int repeats = Integer.parseInt(a.getOrDefault("repeats", "3"));
        int seconds = Integer.parseInt(a.getOrDefault("seconds", "3"));
        URI url = URI.create(a.get("node-url"));
        NodeProbe probe = new NodeProbe(url, Long.parseLong(a.get("node-pid")));
        WrkLoad wrk = new WrkLoad(url, Path.of(a.get("lua")), probe);
        Path dir = Files.createDirectories(Path.of(a.get("dir")));
        String model = DefaultModel.NAME;
        Path modelDir = config.modelsDir().resolve(model);
        NodeConfig.Engine e = config.engine();
        String provider = config.key().provider().configName();
        int maxC = Collections.max(concurrency);

        TokenizerLibrary library = TokenizerLibrary.load(
                Node.engineConfig(config).tokenizerLibrary(),
                Node.engineConfig(config).nativeDir());
        Map<String, List<Double>> limitRates = new HashMap<>();
        Map<String, List<Double>> httpRates = new HashMap<>();
        try (Tokenizer tokenizer = Tokenizer.open(library, modelDir.resolve("tokenizer.json"))) {
            Map<String, EmbeddingLimit> limits = new HashMap<>();
            List<OrtLimit> sessions = new ArrayList<>();
            HttpClient http = HttpClient.newHttpClient();
            for (String name : workloads) {
                EmbeddingWorkload w = EmbeddingWorkload.byName(name);
                Path body = dir.resolve(name + ".json");
                Files.writeString(body, w.json(model));
                HttpResponse<byte[]> answer = http.send(
                        HttpRequest.newBuilder(url.resolve("/v1/embeddings"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofFile(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException(name + ": the node answered " + answer.statusCode() + ": "
                            + new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
                }
                OrtLimit ort = new OrtLimit(
                        modelDir.resolve("model.onnx"),
                        null,
                        maxC,
                        e.deterministic(),
                        e.intraOpThreads(),
                        e.interOpThreads(),
                        OrtLimit.nodePermits(e),
                        provider,
                        config.key().sigAlg().wireName(),
                        OrtLimit.readPkcs8(config.keyFile()),
                        answer.body().length + 32);
                sessions.add(ort);
                limits.put(name, new EmbeddingLimit(tokenizer, ort, w));
                System.out.printf(
                        "WORKLOAD %s texts=%d tokens=%d answer_bytes=%d%n",
                        name, w.texts().size(), tokens(tokenizer, w), answer.body().length);
            }
            for (String name : workloads) { // JIT warm-up on both sides
                EmbeddingLimit limit = limits.get(name);
                ClosedLoop.run(2, Duration.ZERO, Duration.ofSeconds(2), 0, Long.MAX_VALUE, t -> {
                    limit.run();
                    limit.sign();
                });
                wrk.run("/v1/embeddings", model, dir.resolve(name + ".json"), 2, 2, 0);
            }
            for (int r = 1; r <= repeats; r++) {
                for (String name : workloads) {
                    EmbeddingLimit limit = limits.get(name);
                    for (int c : concurrency) {
                        ClosedLoop.Stats l = ClosedLoop.run(
                                c, Duration.ofMillis(300), Duration.ofSeconds(seconds), c, Long.MAX_VALUE, t -> {
                                    limit.run();
                                    limit.sign();
                                });
                        WrkLoad.Result h = wrk.run("/v1/embeddings", model, dir.resolve(name + ".json"), c, seconds, 0);
                        if (h.errors() > 0) {
                            throw new IllegalStateException(name + " c=" + c + ": " + h.errors() + " HTTP errors");
                        }
                        String key = name + "\t" + c;
                        limitRates.computeIfAbsent(key, k -> new ArrayList<>()).add(l.throughput());
                        httpRates.computeIfAbsent(key, k -> new ArrayList<>()).add(h.throughput());
                        System.out.printf(
                                "RESULT\t%s\t%d\t%d\tlimit=%.1f/s\thttp=%.1f/s\tratio=%.3f\thttp_p50=%.0fus\tnode_cpu=%.0fus%n",
                                name,
                                c,
                                r,
                                l.throughput(),
                                h.throughput(),
                                h.throughput() / l.throughput(),
                                h.latencies().p50(),
                                h.nodeCpuMicros());
                    }
                }
            }
            for (OrtLimit s : sessions) {
                s.close();
            }
        }
        System.out.println();
        System.out.println("| workload | c | limit (req/s) | /v1/embeddings over HTTP (req/s) | ratio |");
        System.out.println("|---|---|---|---|---|");
        for (String name : workloads) {
            for (int c : concurrency) {
                String key = name + "\t" + c;
                double l = median(limitRates.get(key));
                double h = median(httpRates.get(key));
                System.out.printf("| %s | %d | %.1f | %.1f | %.2f |%n", name, c, l, h, h / l);
            }
        }
    }

    private static int tokens(Tokenizer tokenizer, EmbeddingWorkload w) {
        return w.texts().stream()
                .mapToInt(t -> tokenizer.encode(t, true).length)
                .sum();
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
