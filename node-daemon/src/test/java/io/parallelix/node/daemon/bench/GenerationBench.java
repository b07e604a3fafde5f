package io.parallelix.node.daemon.bench;

import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.daemon.Node;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.gpu.EmbeddingRequest;
import io.parallelix.node.gpu.EmbeddingResult;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.GenerationInfo;
import io.parallelix.node.gpu.GenerationInput;
import io.parallelix.node.gpu.GenerationListener;
import io.parallelix.node.gpu.GenerationRequest;
import io.parallelix.node.gpu.GenerationResult;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.InferenceException;
import io.parallelix.node.gpu.InferenceRequest;
import io.parallelix.node.gpu.InferenceResult;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.RuntimeFingerprint;
import io.parallelix.node.gpu.sampling.SamplingParams;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The measuring half of {@code scripts/bench.sh generation}: greedy generations of
 * {@code --tokens} new tokens after a {@code --prompt}-token prompt of ids, on the bench's Llama
 * model, four ways side by side: {@code limit} (ONNX Runtime alone + one signature,
 * {@link GenerationLimit}), {@code engine} (Engine.generate in this process: the node's loop
 * without HTTP), {@code http} (/v1/completions, whole answer) and {@code sse} (/v1/completions,
 * {@code stream: true}). Per repeat and concurrency the modes run one after another, in an order
 * that rotates with the repeat; each point is {@code c} clients running {@code --per-client}
 * generations each. Before measuring, every mode must give the limit's greedy tokens (none an
 * end-of-sequence id). Reports tokens/s over all clients, the ratio to the limit in the same repeat,
 * the time to the first token against the prefill run, the per-token gap (over HTTP also the
 * node's own, from its /metrics), and with {@code --context N}, at a past of 128 and of N tokens:
 * one step, one heap round trip of the cache, and the prefill's logits read as the engine does it
 * (the whole tensor copied) against a pinned output read in place. Arguments:
 * {@code --config FILE --node-url URL --node-pid PID [--model bench-llama --modes
 * limit,engine,http,sse --concurrency 1,4 --repeats 3 --prompt 128 --tokens 128 --per-client 2
 * --context 1024]}.
 */
public final class GenerationBench {
    private GenerationBench() {}

    /** One generation as a client saw it: ns from its call; tokenNanos empty when not streamed. */
    @SuppressWarnings("ArrayRecordComponent")
    record Sample(int[] tokens, long startNanos, long prefillNanos, long[] tokenNanos, long endNanos, long loopNanos) {}

    @FunctionalInterface
    interface Mode {
        Sample generate(int client) throws Exception;
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = BenchArgs.parse(argv);
        NodeConfig config = BenchArgs.config(a);
        String model = a.getOrDefault("model", "bench-llama");
        List<String> modes = BenchArgs.list(a, "modes", "limit,engine,http,sse");
        List<Integer> concurrency = BenchArgs.list(a, "concurrency", "1,4").stream()
                .map(Integer::parseInt)
                .toList();
        int repeats = Integer.parseInt(a.getOrDefault("repeats", "3"));
        int promptTokens = Integer.parseInt(a.getOrDefault("prompt", "128"));
        int newTokens = Integer.parseInt(a.getOrDefault("tokens", "128"));
        int perClient = Integer.parseInt(a.getOrDefault("per-client", "2"));
        int context = Integer.parseInt(a.getOrDefault("context", "1024"));
        URI url = URI.create(a.get("node-url"));
        NodeProbe probe = new NodeProbe(url, Long.parseLong(a.get("node-pid")));
        NodeConfig.Engine e = config.engine();
        int[] prompt = new SplittableRandom(7).ints(promptTokens, 256, 31_000).toArray();

        try (InferenceEngine engine = InferenceEngine.open(Node.engineConfig(config))) {
            GenerationInfo info = engine.model(model)
                    .orElseThrow(() -> new IllegalStateException("no model '" + model + "'"))
                    .generation();
            if (info == null) {
                throw new IllegalStateException("'" + model + "' is not a generation model");
            }
            GenerationClient client = new GenerationClient(url, model);
            boolean overHttp = modes.contains("http") || modes.contains("sse");
            // the whole answer: its size is what the limit signs, its tokens are checked below
            GenerationClient.Answer first = overHttp ? client.complete(prompt, newTokens, false) : null;
            int answerBytes = first != null ? first.bytes() : Integer.parseInt(a.getOrDefault("answer-bytes", "2048"));
            ResultSigner signer = new ResultSigner(
                    KeyFiles.readPrivateKey(config.keyFile(), null),
                    config.key().sigAlg(),
                    config.key().provider());
            int intra = e.deterministic() && e.intraOpThreads() == 0 ? 1 : e.intraOpThreads();
            try (GenerationLimit limit = new GenerationLimit(
                    config.modelsDir().resolve(model).resolve("model.onnx"),
                    e.deterministic(),
                    e.intraOpThreads(),
                    e.interOpThreads(),
                    info.maxSequences(),
                    Math.max(context, promptTokens + newTokens) + 16,
                    signer,
                    answerBytes)) {
                System.out.printf(
                        "SETUP model=%s prompt=%d new=%d intra_op_threads=%s (node and limit alike; deterministic=%b)"
                                + " inter_op_threads=%d sequences_at_once=%d eos=%s answer_bytes=%d"
                                + " cache_bytes_per_token=%d%n",
                        model,
                        promptTokens,
                        newTokens,
                        intra == 0 ? "ORT default" : Integer.toString(intra),
                        e.deterministic(),
                        e.interOpThreads(),
                        info.maxSequences(),
                        info.eosTokenIds(),
                        answerBytes,
                        limit.cacheBytesPerToken());
                AtomicInteger ids = new AtomicInteger();
                Map<String, Mode> all = new HashMap<>();
                all.put("limit", c -> {
                    long t0 = System.nanoTime();
                    GenerationLimit.Run r = limit.generate(prompt, newTokens);
                    long w = r.waitNanos();
                    long[] at = Arrays.stream(r.tokenNanos()).map(t -> t + w).toArray();
                    return new Sample(r.tokens(), t0, r.prefillNanos(), at, r.endNanos() + w, -1);
                });
                all.put("engine", c -> engine(engine, model, prompt, newTokens, ids.incrementAndGet()));
                all.put("http", c -> http(client, prompt, newTokens, false));
                all.put("sse", c -> http(client, prompt, newTokens, true));
                // Diagnostic: the node's HTTP server and service in this JVM, on this very Engine
                Node inProcess = modes.contains("inproc")
                        ? Node.start(
                                config, // listen: 127.0.0.1:0 (scripts/bench.sh)
                                KeyFiles.readPrivateKey(config.keyFile(), null),
                                Clock.systemUTC(),
                                "bench",
                                (cfg, clk) -> shared(engine))
                        : null;
                GenerationClient local = inProcess == null
                        ? null
                        : new GenerationClient(
                                URI.create("http://127.0.0.1:"
                                        + inProcess.address().getPort()),
                                model);
                all.put("inproc", c -> http(Objects.requireNonNull(local), prompt, newTokens, false));

                // Warm-up and check: the same greedy tokens four ways, none an end-of-sequence id.
                int[] expected = all.get("limit").generate(0).tokens();
                for (int t : expected) {
                    if (info.eosTokenIds().contains(t)) {
                        throw new IllegalStateException("the greedy output holds end-of-sequence id " + t
                                + ": choose another prompt (docs/benchmarks.md, Generation)");
                    }
                }
                for (String m : modes) {
                    int[] got = m.equals("limit")
                            ? expected
                            : m.equals("http") && first != null
                                    ? first.tokens()
                                    : all.get(m).generate(0).tokens();
                    System.out.printf(
                            "CHECK %s same %d tokens as the limit: %b%n", m, got.length, Arrays.equals(got, expected));
                    if (!Arrays.equals(got, expected)) {
                        throw new IllegalStateException(m + " gave other tokens than the limit: " + Arrays.toString(got)
                                + " vs " + Arrays.toString(expected));
                    }
                }

                // What the node burns while nothing is asked of it (a floor under its CPU per token)
                long idle0 = probe.cpuNanos();
                long idleStart = System.nanoTime();
                Thread.sleep(3000);
                System.out.printf(
                        "IDLE node_cpu_ms_per_s=%.1f%n",
                        (probe.cpuNanos() - idle0) / 1e6 / ((System.nanoTime() - idleStart) / 1e9));
                Map<String, List<Double>> rates = new HashMap<>();
                Map<String, List<Sample>> samples = new HashMap<>();
                for (int r = 1; r <= repeats; r++) {
                    for (int c : concurrency) {
                        for (int i = 0; i < modes.size(); i++) {
                            String m = modes.get((i + r - 1) % modes.size());
                            Point p = point(
                                    all.get(m),
                                    c,
                                    perClient,
                                    m.equals("http") || m.equals("sse") ? probe : null,
                                    model);
                            String key = m + "\t" + c;
                            rates.computeIfAbsent(key, k -> new ArrayList<>()).add(p.tokensPerSecond());
                            samples.computeIfAbsent(key, k -> new ArrayList<>()).addAll(p.samples());
                            System.out.printf(
                                    "RESULT\t%s\t%d\t%d\ttokens_per_s=%.2f\tttft_p50_ms=%.1f\tstep_p50_ms=%.2f"
                                            + "\tlatency_p50_s=%.3f\tcpu_ms_per_token=%.2f\tother_cores=%.2f"
                                            + "\tnode_gap_mean_ms=%.2f%n",
                                    m,
                                    c,
                                    r,
                                    p.tokensPerSecond(),
                                    median(ttfts(p.samples())) / 1e6,
                                    median(gaps(p.samples())) / 1e6,
                                    median(latencies(p.samples())) / 1e9,
                                    p.cpuNanos() / 1e6 / p.tokens(),
                                    p.otherCores(),
                                    p.nodeGapNanos() / 1e6);
                        }
                    }
                }
                table(modes, concurrency, rates, samples);
                if (context > 0) {
                    contextCost(limit, promptTokens, context);
                }
                if (inProcess != null) {
                    inProcess.close();
                }
            }
        }
        System.out.println("load average: "
                + java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg"))
                        .trim());
    }

    /** {@code engine} for an in-process node, which must not close it (this main does). */
    private static Engine shared(InferenceEngine engine) {
        return new Engine() {
            @Override
            public List<ModelInfo> models() {
                return engine.models();
            }

            @Override
            public Optional<ModelInfo> model(String name) {
                return engine.model(name);
            }

            @Override
            public RuntimeFingerprint fingerprint() {
                return engine.fingerprint();
            }

            @Override
            public InferenceResult infer(InferenceRequest request) throws InferenceException {
                return engine.infer(request);
            }

            @Override
            public EmbeddingResult embed(EmbeddingRequest request) throws InferenceException {
                return engine.embed(request);
            }

            @Override
            public GenerationResult generate(GenerationRequest request, GenerationListener listener)
                    throws InferenceException {
                return engine.generate(request, listener);
            }

            @Override
            public io.parallelix.node.gpu.verify.Verification checkGeneration(
                    io.parallelix.node.gpu.verify.GenerationClaim claim,
                    io.parallelix.node.gpu.verify.GenerationPolicy policy)
                    throws InferenceException {
                return engine.checkGeneration(claim, policy);
            }
        };
    }

    private static Sample engine(InferenceEngine engine, String model, int[] prompt, int newTokens, int id)
            throws Exception {
        long t0 = System.nanoTime();
        long[] at = new long[newTokens];
        int[] n = {0};
        GenerationListener listener = token -> at[n[0]++] = System.nanoTime() - t0;
        GenerationResult r = engine.generate(
                new GenerationRequest(
                        "bench-" + id,
                        model,
                        new GenerationInput.Tokens(prompt),
                        SamplingParams.defaults(1).withTemperature(0),
                        newTokens,
                        1,
                        List.of(),
                        Instant.now().plusSeconds(600)),
                listener);
        long end = System.nanoTime() - t0;
        return new Sample(r.choices().get(0).tokenIds(), t0, r.prefillNanos(), at, end, r.loopNanos());
    }

    private static Sample http(GenerationClient client, int[] prompt, int newTokens, boolean stream) throws Exception {
        long t0 = System.nanoTime();
        GenerationClient.Answer answer = client.complete(prompt, newTokens, stream);
        return new Sample(answer.tokens(), t0, -1, answer.tokenNanos(), answer.endNanos(), -1);
    }

    /** nodeGapNanos: the node's own mean inter-token time (its /metrics), NaN in process. */
    record Point(
            List<Sample> samples, double seconds, long tokens, long cpuNanos, double otherCores, double nodeGapNanos) {
        double tokensPerSecond() {
            return tokens / seconds;
        }
    }

    /** {@code c} clients, {@code perClient} generations each, started together. */
    private static Point point(Mode mode, int c, int perClient, @Nullable NodeProbe node, String model)
            throws Exception {
        ConcurrentLinkedQueue<Sample> done = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Exception> failed = new ConcurrentLinkedQueue<>();
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < c; t++) {
            int client = t;
            threads.add(Thread.ofPlatform().name("gen-client-" + t).start(() -> {
                try {
                    go.await();
                    for (int k = 0; k < perClient; k++) {
                        done.add(mode.generate(client));
                    }
                } catch (Exception ex) {
                    failed.add(ex);
                }
            }));
        }
        Map<String, Double> metrics0 = node == null ? Map.of() : node.metrics();
        long busy0 = MachineCpu.busyNanos();
        long cpu0 = node == null ? processCpu() : node.cpuNanos();
        long other0 = node == null ? 0 : processCpu();
        long t0 = System.nanoTime();
        go.countDown();
        for (Thread t : threads) {
            t.join();
        }
        long wall = System.nanoTime() - t0;
        long cpu = (node == null ? processCpu() : node.cpuNanos()) - cpu0;
        long own = node == null ? 0 : processCpu() - other0; // the client's CPU, when the node is measured
        long busy = MachineCpu.busyNanos() - busy0;
        if (!failed.isEmpty()) {
            throw new IllegalStateException("a generation failed", failed.peek());
        }
        List<Sample> samples = new ArrayList<>(done);
        long tokens = samples.stream().mapToLong(s -> s.tokens().length).sum();
        double other = Math.max(0, busy - cpu - own) / 1e9 / (wall / 1e9);
        double gap = Double.NaN;
        if (node != null) {
            Map<String, Double> metrics1 = node.metrics();
            String name = "pxnode_generation_inter_token_seconds_";
            String labels = "{model=\"" + model + "\"}";
            double sum = metrics1.getOrDefault(name + "sum" + labels, 0.0)
                    - metrics0.getOrDefault(name + "sum" + labels, 0.0);
            double count = metrics1.getOrDefault(name + "count" + labels, 0.0)
                    - metrics0.getOrDefault(name + "count" + labels, 0.0);
            gap = count == 0 ? Double.NaN : sum / count * 1e9;
        }
        return new Point(samples, wall / 1e9, tokens, cpu, other, gap);
    }

    private static void table(
            List<String> modes,
            List<Integer> concurrency,
            Map<String, List<Double>> rates,
            Map<String, List<Sample>> samples) {
        System.out.println();
        System.out.println(
                "| mode | c | tokens/s p50 [range] | ÷ limit, paired per repeat: p50 [range] | TTFT p50 (ms) |"
                        + " prefill run p50 (ms) | per-token gap p50 (ms) | generation p50 (s) | loop outside ORT"
                        + " (µs/token) |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int c : concurrency) {
            List<Double> base = rates.getOrDefault("limit\t" + c, List.of());
            for (String m : modes) {
                String key = m + "\t" + c;
                List<Sample> s = samples.get(key);
                double rate = median(rates.get(key));
                List<Double> paired = new ArrayList<>(); // repeat r of this mode against repeat r of the limit
                for (int r = 0; r < Math.min(base.size(), rates.get(key).size()); r++) {
                    paired.add(rates.get(key).get(r) / base.get(r));
                }
                List<Double> prefill = s.stream()
                        .filter(x -> x.prefillNanos() >= 0)
                        .map(x -> (double) x.prefillNanos())
                        .toList();
                List<Double> loop = s.stream()
                        .filter(x -> x.loopNanos() >= 0)
                        .map(x -> x.loopNanos() / 1e3 / x.tokens().length)
                        .toList();
                System.out.printf(
                        "| %s | %d | %.2f [%s] | %s | %s | %s | %s | %.3f | %s |%n",
                        m,
                        c,
                        rate,
                        range(rates.get(key)),
                        paired.isEmpty() ? "" : String.format("%.3f [%s]", median(paired), range(paired)),
                        ms(median(ttfts(s))),
                        ms(median(prefill)),
                        ms(median(gaps(s))),
                        median(latencies(s)) / 1e9,
                        loop.isEmpty() ? "" : String.format("%.1f", median(loop)));
            }
        }
    }

    /** A step's time and a heap round trip of the cache, at a past of about 128 and of {@code context} tokens. */
    private static void contextCost(GenerationLimit limit, int promptTokens, int context) throws Exception {
        int steps = 9;
        int[] pasts = {promptTokens, context - steps};
        for (int past : pasts) {
            int[] prompt = new SplittableRandom(11).ints(past, 256, 31_000).toArray();
            GenerationLimit.Run plain = limit.generate(prompt, steps);
            long[] copies = new long[steps];
            limit.generate(prompt, steps, copies);
            List<Double> gaps = new ArrayList<>();
            List<Double> copy = new ArrayList<>();
            for (int s = 1; s < steps; s++) {
                gaps.add((double) (plain.tokenNanos()[s] - plain.tokenNanos()[s - 1]));
                copy.add((double) copies[s - 1]);
            }
            long[] pinned = limit.prefillPinned(prompt);
            long bytes = limit.cacheBytesPerToken() * (past + steps / 2);
            System.out.printf(
                    "CONTEXT past=%d..%d prefill_ms=%.1f prefill_logits_read_ms=%.2f (%,d bytes)"
                            + " pinned_prefill_ms=%.1f pinned_read_ms=%.3f step_p50_ms=%.2f"
                            + " heap_round_trip_p50_ms=%.3f cache_bytes=%,d (%.1f MiB)%n",
                    past,
                    past + steps - 2,
                    plain.prefillNanos() / 1e6,
                    plain.readNanos() / 1e6,
                    (long) past * limit.vocab() * Float.BYTES,
                    pinned[0] / 1e6,
                    pinned[1] / 1e6,
                    median(gaps) / 1e6,
                    median(copy) / 1e6,
                    bytes,
                    bytes / 1048576.0);
        }
    }

    private static List<Double> ttfts(List<Sample> samples) {
        return samples.stream()
                .filter(s -> s.tokenNanos().length > 0)
                .map(s -> (double) s.tokenNanos()[0])
                .toList();
    }

    private static List<Double> gaps(List<Sample> samples) {
        List<Double> out = new ArrayList<>();
        for (Sample s : samples) {
            for (int i = 1; i < s.tokenNanos().length; i++) {
                out.add((double) (s.tokenNanos()[i] - s.tokenNanos()[i - 1]));
            }
        }
        return out;
    }

    private static List<Double> latencies(List<Sample> samples) {
        return samples.stream().map(s -> (double) s.endNanos()).toList();
    }

    private static String ms(double nanos) {
        return Double.isNaN(nanos) ? "" : String.format("%.1f", nanos / 1e6);
    }

    private static String range(List<Double> values) {
        return String.format("%.2f–%.2f", Collections.min(values), Collections.max(values));
    }

    private static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
