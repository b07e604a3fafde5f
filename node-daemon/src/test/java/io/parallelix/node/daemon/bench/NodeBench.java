package io.parallelix.node.daemon.bench;

import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.daemon.Node;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.DecodedRequest;
import io.parallelix.node.daemon.protocol.InferRequestDecoder;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.service.Cancellation;
import io.parallelix.node.daemon.service.ChunkSink;
import io.parallelix.node.daemon.service.InferenceService;
import io.parallelix.node.daemon.service.ReplayGuard;
import io.parallelix.node.daemon.service.ServiceLimits;
import io.parallelix.node.daemon.service.SignedAnswer;
import io.parallelix.node.daemon.service.Submission;
import io.parallelix.node.daemon.task.TensorRunner;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.InferenceRequest;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The measuring half of scripts/bench.sh. Reads the node config file the HTTP node was started
 * with (and the same PXNODE_* variables), then, for every repeat, workload and concurrency, runs
 * back to back:
 *
 * <ul>
 *   <li>{@code ort}: ONNX Runtime alone under the node's session settings and run permits ({@link
 *       OrtLimit#run});
 *   <li>{@code ort+sign}: that run plus one signature per request with the node's provider;
 *   <li>{@code best-ort}: ONNX Runtime alone at its best configuration on these cores ({@link
 *       BestLimit}: each candidate as {@code best-ort@i1}, {@code best-ort@i2}, then the best);
 *   <li>{@code best}: the same candidates, each call one run plus one signature with the fastest
 *       provider that loads: the limit the node is measured against;
 *   <li>{@code ortnode}: the independent reference, onnxruntime-node on the same model and body
 *       ({@link OrtReference}; skipped with a warning when node or the package is missing);
 *   <li>{@code service}: the node without HTTP: InferenceService (admission, hand-off to the worker
 *       pool, decode, validation, tensors, run, canonical encode, PoE, signature) on the request body;
 *   <li>{@code http}: the running node over loopback, driven by wrk ({@link WrkLoad});
 *   <li>{@code floor}: the limit's own work per request (best's run at intra-op 1 and one
 *       signature) served over bare Netty HTTP in this process with an answer of the node's size
 *       ({@link HttpFloor}), driven by wrk like {@code http}: how near any server gets to the limit
 *       over loopback on these cores; its CPU is this process's;
 *   <li>{@code engine}: InferenceEngine.infer alone (validation, session permit, tensors, run,
 *       canonical encode) on the decoded request;
 *   <li>{@code sign}: signatures alone (the ceiling signing sets across the cores);
 *   <li>{@code signer}: the node's ResultSigner alone (PoE + signature + verify-after-sign);
 *   <li>{@code paired-service}, {@code paired-http}: concurrency 1, latency minus the request's own
 *       run and sign stage, request by request ({@link PairedOverhead}).
 * </ul>
 *
 * <p>Prints tab-separated RESULT, STAGES, PAIRED and MEMORY lines (scripts/bench/report.py reads them).
 * Arguments: {@code --config FILE --bodies DIR [--node-url URL --node-pid PID --lua FILE] --workloads
 * add,minilm-16,minilm-128 --plan "ort:1,8 ..." --repeats 3 --warmup-ms 300 --window-ms 1000
 * --min-requests-per-client 2 --max-requests 100000 --prewarm-ms 3000 --http-prewarm-s 20 --ort-reference
 * scripts/bench/ort_reference.mjs}.
 */
public final class NodeBench {
    /**
     * Connections of the node's HTTP warm-up: at c=8 the node's C2 compile time kept growing for
     * ~40 s and its throughput rose 188 → 290 req/s meanwhile; 2 connections left it cold.
     */
    private static final int HTTP_PREWARM_CONNECTIONS = 8;

    private NodeBench() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = BenchArgs.parse(argv);
        NodeConfig config = BenchArgs.config(a);
        List<String> workloads = BenchArgs.list(a, "workloads", "add,minilm-16,minilm-128");
        BenchPlan plan = BenchPlan.parse(a.getOrDefault("plan", BenchPlan.DEFAULT));
        int repeats = Integer.parseInt(a.getOrDefault("repeats", "3"));
        Duration warmup = Duration.ofMillis(Long.parseLong(a.getOrDefault("warmup-ms", "300")));
        Duration window = Duration.ofMillis(Long.parseLong(a.getOrDefault("window-ms", "1000")));
        long minPerClient = Long.parseLong(a.getOrDefault("min-requests-per-client", "2"));
        long maxRequests = Long.parseLong(a.getOrDefault("max-requests", "100000"));
        Path bodies = Path.of(a.get("bodies"));
        Duration prewarm = Duration.ofMillis(Long.parseLong(a.getOrDefault("prewarm-ms", "3000")));
        int httpPrewarmSecs = Integer.parseInt(a.getOrDefault("http-prewarm-s", "20"));
        boolean wantsBest =
                plan.levels().containsKey("best-ort") || plan.levels().containsKey("best");
        Optional<OrtReference> reference = plan.levels().containsKey("ortnode")
                ? OrtReference.find(Path.of(a.getOrDefault("ort-reference", "scripts/bench/ort_reference.mjs")))
                : Optional.empty();
        String provider = config.key().provider().configName();

        NodeProbe probe = null;
        WrkLoad wrk = null;
        if (a.containsKey("node-url")) {
            URI url = URI.create(a.get("node-url"));
            probe = new NodeProbe(url, Long.parseLong(a.get("node-pid")));
            wrk = new WrkLoad(url, Path.of(a.get("lua")), probe);
        }
        long served = 0;
        PairedOverhead paired = new PairedOverhead();
        NodeKey key = KeyFiles.readPrivateKey(config.keyFile(), null);
        NodeConfig.Engine e = config.engine();
        NodeConfig.Server s = config.server();
        ResultSigner signer =
                new ResultSigner(key, config.key().sigAlg(), config.key().provider());
        try (InferenceEngine engine = InferenceEngine.open(Node.engineConfig(config))) {
            int threads = s.workers() > 0 ? s.workers() : Runtime.getRuntime().availableProcessors();
            ThreadPoolExecutor workers = new ThreadPoolExecutor(
                    threads,
                    threads,
                    0,
                    TimeUnit.MILLISECONDS,
                    new ArrayBlockingQueue<>(engine.models().size() * s.queueCapacity() + threads));
            InferRequestDecoder decoder = new InferRequestDecoder(new Json(s.maxBodyBytes()).factory());
            InferenceService tasks = new InferenceService(new InferenceService.Parts(
                    engine,
                    signer,
                    new NodeMetrics(),
                    workers,
                    Clock.systemUTC(),
                    new ServiceLimits(s.queueCapacity(), s.requestTimeout(), s.generationTimeout(), s.inlineMax()),
                    ReplayGuard.off(Clock.systemUTC())));
            Service service = new Service(tasks, decoder, new TensorRunner(engine));
            Map<String, OrtLimit> limits = new HashMap<>();
            Map<String, BestLimit> bests = new HashMap<>();
            if (wantsBest) {
                System.err.println("bench: best signs with " + OrtLimit.fastestProvider());
            }
            Map<String, byte[]> results = new HashMap<>();
            for (String name : workloads) {
                Workload w = Workload.byName(name);
                byte[] result = service.infer(w.model(), w.json(), -1).join().result();
                results.put(name, result);
                limits.put(
                        name,
                        new OrtLimit(
                                model(config, w),
                                w,
                                plan.maxConcurrency(),
                                e.deterministic(),
                                e.intraOpThreads(),
                                e.interOpThreads(),
                                OrtLimit.nodePermits(e),
                                provider,
                                config.key().sigAlg().wireName(),
                                OrtLimit.readPkcs8(config.keyFile()),
                                result.length + 32));
                if (wantsBest) {
                    bests.put(
                            name,
                            BestLimit.open(
                                    model(config, w),
                                    w,
                                    plan.maxConcurrency(),
                                    e.deterministic(),
                                    e.interOpThreads(),
                                    config.key().sigAlg().wireName(),
                                    OrtLimit.readPkcs8(config.keyFile()),
                                    result.length + 32));
                }
            }
            // the floor: the limit's own work per request over bare HTTP, an answer of the node's size
            Map<String, WrkLoad> floors = new HashMap<>();
            List<HttpFloor.Server> floorServers = new ArrayList<>();
            List<OrtLimit> floorLimits = new ArrayList<>();
            if (plan.levels().containsKey("floor") && probe != null) {
                for (String name : workloads) {
                    Workload w = Workload.byName(name);
                    OrtLimit floorLimit = HttpFloor.limit(
                            model(config, w),
                            w,
                            config.key().sigAlg().wireName(),
                            config.keyFile(),
                            results.get(name).length + 32);
                    floorLimits.add(floorLimit);
                    HttpFloor.Server f = HttpFloor.serve(floorLimit, probe.answerBytes(w.model(), w.json()));
                    floorServers.add(f);
                    floors.put(
                            name,
                            WrkLoad.withoutMetrics(
                                    URI.create("http://127.0.0.1:" + f.port()),
                                    Path.of(a.get("lua")),
                                    ProcessHandle.current().pid()));
                }
            }
            // JIT warm-up before anything is measured: both sides run every workload for a while
            for (String name : workloads) {
                Workload w = Workload.byName(name);
                byte[] body = w.json();
                OrtLimit limit = limits.get(name);
                ClosedLoop.run(
                        2,
                        Duration.ZERO,
                        prewarm,
                        0,
                        Long.MAX_VALUE,
                        t -> service.infer(w.model(), body, -1).join());
                ClosedLoop.run(2, Duration.ZERO, prewarm, 0, Long.MAX_VALUE, t -> {
                    limit.run(t);
                    limit.sign();
                });
            }
            if (wrk != null && probe != null) {
                memory(probe, provider, "start", served);
                for (String name : workloads) {
                    Workload w = Workload.byName(name);
                    Path bodyFile = bodies.resolve(name + ".json");
                    served += wrk.warm(w.model(), bodyFile, HTTP_PREWARM_CONNECTIONS, httpPrewarmSecs);
                    if (floors.containsKey(name)) {
                        floors.get(name).warm(w.model(), bodyFile, HTTP_PREWARM_CONNECTIONS, httpPrewarmSecs);
                    }
                }
                memory(probe, provider, "warm", served);
            }
            for (int r = 1; r <= repeats; r++) {
                for (String name : workloads) {
                    Workload w = Workload.byName(name);
                    byte[] body = w.json();
                    byte[] result = results.get(name);
                    OrtLimit limit = limits.get(name);
                    Line line = new Line(name, provider, Integer.toString(r), result.length);
                    DecodedRequest decoded = decoder.decode(body, -1);
                    InferenceRequest engineRequest = new InferenceRequest(
                            decoded.requestId(), w.model(), decoded.inputs(), decoded.outputs(), Instant.MAX);
                    double serviceRate = Double.NaN;
                    BestLimit.Window measured =
                            (c, op) -> ClosedLoop.run(c, warmup, window, minPerClient * c, maxRequests, op);
                    for (int c : plan.concurrencies()) {
                        for (String mode : plan.modesAt(c)) {
                            if (mode.equals("best-ort") || mode.equals("best")) {
                                bests.get(name).measure(mode, c, mode.equals("best"), line, measured);
                                continue;
                            }
                            if (mode.equals("ortnode")) {
                                if (reference.isPresent()) {
                                    Path bodyFile = bodies.resolve(name + ".json");
                                    for (OrtReference.Result ref :
                                            reference.get().run(model(config, w), bodyFile, c, warmup, window)) {
                                        String label = ref.label();
                                        line.reference(label.equals("best") ? mode : mode + "@" + label, c, ref);
                                    }
                                }
                                continue;
                            }
                            if (mode.startsWith("paired-")) { // concurrency 1 by construction
                                long ms = Math.max(1000, window.toMillis());
                                PairedOverhead.Medians m = mode.equals("paired-http")
                                        ? (probe == null ? null : paired.http(probe.base(), w.model(), body, ms))
                                        : paired.service(
                                                () -> service.infer(w.model(), body, -1)
                                                        .join()
                                                        .meta()
                                                        .timingsUs(),
                                                ms);
                                if (m != null) {
                                    line.paired(mode, m);
                                }
                                continue;
                            }
                            if (mode.equals("http") || mode.equals("floor")) {
                                WrkLoad load = mode.equals("http") ? wrk : floors.get(name);
                                if (load == null) {
                                    continue;
                                }
                                // wrk runs whole seconds: long enough for the minimum count at the last rate seen
                                int secs = (int) Math.max(
                                        Math.ceil(window.toMillis() / 1000.0),
                                        Double.isNaN(serviceRate) ? 1 : Math.ceil(minPerClient * c / serviceRate));
                                WrkLoad.Result h =
                                        load.run(w.model(), bodies.resolve(name + ".json"), c, secs, maxRequests);
                                if (mode.equals("http")) {
                                    served += h.count();
                                    line.http(c, h);
                                } else {
                                    line.wrk(mode, c, h);
                                }
                                continue;
                            }
                            ClosedLoop.Op op = switch (mode) {
                                case "ort" -> limit::run;
                                case "ort+sign" ->
                                    t -> {
                                        limit.run(t);
                                        limit.sign();
                                    };
                                case "sign" -> t -> limit.sign();
                                case "signer" -> t -> signer.sign(Workload.REQUEST_ID, result);
                                case "engine" -> t -> engine.infer(engineRequest);
                                case "service" ->
                                    t -> service.infer(w.model(), body, -1).join();
                                default -> throw new IllegalArgumentException("unknown mode " + mode);
                            };
                            ClosedLoop.Stats st = measured.run(c, op);
                            if (mode.equals("service") || mode.equals("ort+sign")) {
                                serviceRate = st.throughput();
                            }
                            line.closedLoop(mode, c, st);
                        }
                    }
                }
                if (probe != null) {
                    memory(probe, provider, "repeat-" + r, served);
                }
            }
            for (OrtLimit l : limits.values()) {
                l.close();
            }
            for (BestLimit b : bests.values()) {
                b.close();
            }
            for (HttpFloor.Server f : floorServers) {
                f.close();
            }
            for (OrtLimit l : floorLimits) {
                l.close();
            }
            workers.shutdown();
        }
    }

    private static Path model(NodeConfig config, Workload w) {
        return config.modelsDir().resolve(w.model()).resolve("model.onnx");
    }

    private static void memory(NodeProbe probe, String provider, String phase, long served) throws Exception {
        long[] m = probe.memoryAfterGc();
        Line.print(
                "MEMORY",
                provider,
                phase,
                Long.toString(served),
                Long.toString(probe.rssBytes()),
                Long.toString(m[0]),
                Long.toString(m[1]),
                Long.toString(m[2]));
    }

    /**
     * The node without HTTP: an OIP body straight into the service, as TensorEndpoint submits it
     * (a short task then runs on the calling thread, as on the node's event loop: server.inline_max).
     */
    private record Service(InferenceService tasks, InferRequestDecoder decoder, TensorRunner runner) {
        CompletableFuture<SignedAnswer> infer(String model, byte[] body, int jsonLength) {
            return tasks.submit(new Submission<>(
                    model,
                    () -> decoder.decode(body, jsonLength),
                    runner,
                    ChunkSink.NONE,
                    new Cancellation(),
                    null,
                    body.length));
        }
    }
}
