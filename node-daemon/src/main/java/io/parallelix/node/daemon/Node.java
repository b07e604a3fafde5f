package io.parallelix.node.daemon;

import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.KeyException;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.daemon.config.HostPort;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.daemon.http.BodyBudget;
import io.parallelix.node.daemon.http.EmbeddingsEndpoint;
import io.parallelix.node.daemon.http.Endpoint;
import io.parallelix.node.daemon.http.GenerationEndpoint;
import io.parallelix.node.daemon.http.NodeServer;
import io.parallelix.node.daemon.http.RequestIdHeader;
import io.parallelix.node.daemon.http.ServerSettings;
import io.parallelix.node.daemon.http.Serving;
import io.parallelix.node.daemon.http.TaskEndpoint;
import io.parallelix.node.daemon.http.TensorEndpoint;
import io.parallelix.node.daemon.http.VerifyEndpoint;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.CompletionsRequest;
import io.parallelix.node.daemon.protocol.EmbeddingsDecoder;
import io.parallelix.node.daemon.protocol.EmbeddingsLimits;
import io.parallelix.node.daemon.protocol.GenerationDecoder;
import io.parallelix.node.daemon.protocol.GenerationLimits;
import io.parallelix.node.daemon.protocol.InferRequestDecoder;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.protocol.ModelPeek;
import io.parallelix.node.daemon.service.ChallengeSigner;
import io.parallelix.node.daemon.service.InferenceService;
import io.parallelix.node.daemon.service.LoadingStatus;
import io.parallelix.node.daemon.service.NodeStatus;
import io.parallelix.node.daemon.service.ReplayGuard;
import io.parallelix.node.daemon.service.ServiceLimits;
import io.parallelix.node.daemon.task.EmbeddingRunner;
import io.parallelix.node.daemon.task.GenerationRunner;
import io.parallelix.node.daemon.task.TensorRunner;
import io.parallelix.node.daemon.verify.VerifyDecoder;
import io.parallelix.node.daemon.verify.VerifyRunner;
import io.parallelix.node.gpu.Engine;
import io.parallelix.node.gpu.EngineConfig;
import io.parallelix.node.gpu.EngineException;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.LoadListener;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.verify.VerifyPolicy;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds engine → signer → service → server by constructor, and stops them
 * in reverse order (server drain first, then workers, then sessions).
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);
    /** Challenges signed at once: enough for registrations, too few for a flood to matter. */
    private static final int CHALLENGES_IN_FLIGHT = 2;

    private final NodeConfig config;
    private final Engine engine;
    private final ThreadPoolExecutor workers;
    private final List<NodeServer> servers;
    private final NodeStatus status;
    private boolean closed;

    private Node(
            NodeConfig config, Engine engine, ThreadPoolExecutor workers, List<NodeServer> servers, NodeStatus status) {
        this.config = config;
        this.engine = engine;
        this.workers = workers;
        this.servers = List.copyOf(servers);
        this.status = status;
    }

    /**
     * The main listener (TLS when configured) and, with server.admin_listen, a plain one for
     * metrics and health, which the main listener then no longer serves /metrics for.
     */
    private static List<NodeServer> listen(NodeConfig config, NodeMetrics metrics, Json json, LoadingStatus loading)
            throws IOException {
        NodeConfig.Server s = config.server();
        NodeConfig.Tls tls = s.tls();
        HostPort admin = s.adminAddress();
        Set<Endpoint> main = EnumSet.allOf(Endpoint.class);
        if (admin != null) {
            main.remove(Endpoint.METRICS);
        }
        ServerSettings.Tls listenerTls = tls.enabled()
                ? new ServerSettings.Tls(
                        Objects.requireNonNull(tls.certFile()),
                        Objects.requireNonNull(tls.keyFile()),
                        tls.clientCaFile(),
                        s.handshakeTimeout(),
                        s.maxHandshakes())
                : null;
        BodyBudget bodies = BodyBudget.forThisJvm(s.maxBodyBytesInFlight(), s.maxBodyBytes()); // both listeners'
        log.info("request bodies in flight: at most {} bytes", bodies.max());
        List<NodeServer> servers = new ArrayList<>();
        servers.add(NodeServer.start(
                settings(s, config.listenAddress(), main, listenerTls), metrics, json, bodies, loading));
        if (admin != null) {
            try {
                servers.add(NodeServer.start(settings(s, admin, Endpoint.ADMIN, null), metrics, json, bodies, loading));
            } catch (IOException e) {
                servers.forEach(server -> server.shutdown(Duration.ZERO));
                throw e;
            }
        }
        return servers;
    }

    private static ServerSettings settings(
            NodeConfig.Server s, HostPort at, Set<Endpoint> endpoints, ServerSettings.@Nullable Tls tls) {
        return new ServerSettings(
                at.host(),
                at.port(),
                s.ioThreads(),
                s.idleSpin(),
                s.maxBodyBytes(),
                s.maxHeaderBytes(),
                s.maxConnections(),
                s.readTimeout(),
                s.idleTimeout(),
                s.writeTimeout(),
                endpoints,
                tls);
    }

    /**
     * Opens the engine; a seam so tests can hold a node in its loading state, or serve a fake
     * engine. The node closes what it opened when that is AutoCloseable (InferenceEngine is).
     */
    @FunctionalInterface
    public interface EngineOpener {
        Engine open(EngineConfig config, Clock clock) throws EngineException;

        /** As {@link #open(EngineConfig, Clock)}, telling {@code listener} how the load goes (a fake may not). */
        default Engine open(EngineConfig config, Clock clock, LoadListener listener) throws EngineException {
            return open(config, clock);
        }
    }

    /** The real engine, reporting its load to the health endpoints and the load log. */
    private static final EngineOpener ONNX_RUNTIME = new EngineOpener() {
        @Override
        public Engine open(EngineConfig config, Clock clock) throws EngineException {
            return InferenceEngine.open(config, clock);
        }

        @Override
        public Engine open(EngineConfig config, Clock clock, LoadListener listener) throws EngineException {
            return InferenceEngine.open(config, clock, listener);
        }
    };

    /** How often the log says how a load goes (LoadLog). */
    static final Duration LOAD_LOG_INTERVAL = Duration.ofSeconds(5);

    /** Starts a node; on any failure everything already started is stopped again. */
    public static Node start(NodeConfig config, NodeKey key, Clock clock, String version)
            throws EngineException, KeyException, IOException {
        return start(config, key, clock, version, ONNX_RUNTIME);
    }

    /**
     * The listener comes up first (live, not ready, refusing work) so that probes see a loading
     * node; then the models load, warm up and pass their canaries, and only then does it serve.
     */
    public static Node start(NodeConfig config, NodeKey key, Clock clock, String version, EngineOpener opener)
            throws EngineException, KeyException, IOException {
        ResultSigner signer =
                new ResultSigner(key, config.key().sigAlg(), config.key().provider());
        NodeConfig.Server s = config.server();
        NodeMetrics metrics = new NodeMetrics();
        Json json = new Json(s.maxBodyBytes());
        LoadingStatus loading = new LoadingStatus();
        List<NodeServer> servers = listen(config, metrics, json, loading);
        Engine engine = null;
        ThreadPoolExecutor workers = null;
        try {
            try (LoadLog progress = new LoadLog(loading, LOAD_LOG_INTERVAL)) {
                engine = opener.open(engineConfig(config), clock, loading);
            }
            workers = workers(s, engine.models().size());
            announce(engine.models(), metrics);
            InferenceService service = new InferenceService(new InferenceService.Parts(
                    engine,
                    signer,
                    metrics,
                    workers,
                    clock,
                    new ServiceLimits(s.queueCapacity(), s.requestTimeout(), s.generationTimeout(), s.inlineMax()),
                    s.replayWindow().isZero()
                            ? ReplayGuard.off(clock)
                            : new ReplayGuard(s.replayWindow(), s.replayCapacity(), clock)));
            NodeStatus status = new NodeStatus(engine, service, key, signer, version);
            Serving services = new Serving(
                    service,
                    status,
                    new ChallengeSigner(signer, workers, CHALLENGES_IN_FLIGHT),
                    taskEndpoints(
                            engine,
                            json,
                            s,
                            metrics,
                            clock,
                            config.verification().policy()));
            servers.forEach(server -> server.attach(services));
            log.info(
                    "node_id={} sig_alg={} ready={}",
                    key.nodeId().hex(),
                    signer.sigAlg().wireName(),
                    status.ready());
            return new Node(config, engine, workers, servers, status);
        } catch (EngineException | RuntimeException e) {
            servers.forEach(server -> server.shutdown(Duration.ZERO));
            if (workers != null) {
                workers.shutdownNow();
            }
            if (engine != null) {
                close(engine);
            }
            throw e;
        }
    }

    /** The wire form of each kind of task, by the endpoint that takes it. */
    private static Map<Endpoint, TaskEndpoint> taskEndpoints(
            Engine engine, Json json, NodeConfig.Server s, NodeMetrics metrics, Clock clock, VerifyPolicy policy) {
        EmbeddingsLimits limits =
                new EmbeddingsLimits(s.maxEmbeddingInputs(), s.maxEmbeddingChars(), s.maxEmbeddingTokenIds());
        RequestIdHeader ids = new RequestIdHeader(new SecureRandom());
        ModelPeek peek = new ModelPeek(json.factory());
        GenerationEndpoint.Parts generation = new GenerationEndpoint.Parts(
                new GenerationDecoder(
                        json.factory(),
                        new GenerationLimits(
                                s.maxGenerationChoices(),
                                s.maxGenerationChars(),
                                s.maxGenerationTokenIds(),
                                s.maxChatMessages())),
                new GenerationRunner(engine, metrics, clock),
                peek,
                ids);
        InferRequestDecoder tensors = new InferRequestDecoder(json.factory());
        TensorRunner tensorRunner = new TensorRunner(engine);
        EmbeddingsDecoder embeddings = new EmbeddingsDecoder(json.factory(), limits);
        EmbeddingRunner embeddingRunner = new EmbeddingRunner(engine);
        VerifyRunner verifier = new VerifyRunner(new VerifyRunner.Parts(
                engine,
                json.mapper(),
                new EnvelopeVerifier(CryptoProvider.JDK),
                tensors,
                tensorRunner,
                embeddings,
                embeddingRunner,
                generation.decoder(),
                policy));
        return Map.of(
                Endpoint.INFER,
                new TensorEndpoint(tensors, tensorRunner, json.mapper()),
                Endpoint.EMBEDDINGS,
                new EmbeddingsEndpoint(
                        new EmbeddingsEndpoint.Parts(embeddings, embeddingRunner, peek, ids), json.mapper()),
                Endpoint.COMPLETIONS,
                new GenerationEndpoint(CompletionsRequest.Api.COMPLETIONS, generation, json.mapper()),
                Endpoint.CHAT_COMPLETIONS,
                new GenerationEndpoint(CompletionsRequest.Api.CHAT, generation, json.mapper()),
                Endpoint.VERIFY,
                new VerifyEndpoint(
                        new VerifyEndpoint.Parts(new VerifyDecoder(json.mapper()), verifier, peek, ids),
                        json.mapper()));
    }

    private static void close(Engine engine) {
        if (engine instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                log.warn("closing the engine failed", e);
            }
        }
    }

    /** Admission bounds what is queued (tasks per model, challenges), so this queue never overflows. */
    private static ThreadPoolExecutor workers(NodeConfig.Server s, int models) {
        int threads = s.workers() > 0 ? s.workers() : Runtime.getRuntime().availableProcessors();
        int capacity = models * s.queueCapacity() + CHALLENGES_IN_FLIGHT + threads;
        return new ThreadPoolExecutor(
                threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), daemonThreads());
    }

    private static void announce(List<ModelInfo> models, NodeMetrics metrics) {
        for (ModelInfo m : models) {
            metrics.model(m.name(), m.provider(), m.deterministic(), m.ready());
            log.info(
                    "model {} sha256={} provider={} deterministic={} ready={}",
                    m.name(),
                    m.sha256(),
                    m.provider(),
                    m.deterministic(),
                    m.ready());
        }
    }

    /**
     * The launcher's pointer to the tokenizers library unpacked in the distribution
     * (lib/native/tokenizers); without it (tests, an IDE) the library is extracted from its jar
     * into data_dir/native.
     */
    public static final String TOKENIZERS_LIBRARY_PROPERTY = "pxnode.tokenizers.library";

    /** The engine a node with this config opens (public for the benchmarks' in-process loops). */
    public static EngineConfig engineConfig(NodeConfig config) {
        NodeConfig.Engine e = config.engine();
        String library = System.getProperty(TOKENIZERS_LIBRARY_PROPERTY);
        return new EngineConfig(
                config.modelsDir(),
                e.providerMode(),
                e.cuda(),
                e.deterministic(),
                e.intraOpThreads(),
                e.interOpThreads(),
                e.maxConcurrencyPerInstance(),
                library == null || library.isBlank() ? null : Path.of(library),
                config.dataDir().resolve("native"));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "pxnode-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** The main listener's address. */
    public InetSocketAddress address() {
        return servers.get(0).address();
    }

    /** The admin listener's address, when server.admin_listen is set. */
    public Optional<InetSocketAddress> adminAddress() {
        return servers.size() > 1 ? Optional.of(servers.get(1).address()) : Optional.empty();
    }

    public NodeStatus status() {
        return status;
    }

    /** Drains the server (config.server.drain_timeout), then stops workers and sessions. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        servers.forEach(server -> server.shutdown(config.server().drainTimeout()));
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        close(engine);
    }
}
