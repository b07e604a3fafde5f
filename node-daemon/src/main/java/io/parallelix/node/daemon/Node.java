package io.parallelix.node.daemon;

import io.parallelix.node.crypto.KeyException;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.daemon.config.HostPort;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.daemon.http.NodeServer;
import io.parallelix.node.daemon.http.ServerSettings;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.InferRequestDecoder;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.service.InferenceService;
import io.parallelix.node.daemon.service.NodeServices;
import io.parallelix.node.daemon.service.NodeStatus;
import io.parallelix.node.daemon.service.ServiceLimits;
import io.parallelix.node.gpu.CudaOptions;
import io.parallelix.node.gpu.EngineConfig;
import io.parallelix.node.gpu.EngineException;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.ModelInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: builds engine → signer → service → server by constructor, and stops them
 * in reverse order (server drain first, then workers, then sessions).
 */
public final class Node implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Node.class);

    private final NodeConfig config;
    private final InferenceEngine engine;
    private final ThreadPoolExecutor workers;
    private final NodeServer server;
    private final NodeStatus status;
    private boolean closed;

    private Node(
            NodeConfig config,
            InferenceEngine engine,
            ThreadPoolExecutor workers,
            NodeServer server,
            NodeStatus status) {
        this.config = config;
        this.engine = engine;
        this.workers = workers;
        this.server = server;
        this.status = status;
    }

    /** Opens the engine; a seam so tests can hold a node in its loading state. */
    @FunctionalInterface
    public interface EngineOpener {
        InferenceEngine open(EngineConfig config, Clock clock) throws EngineException;
    }

    /** Starts a node; on any failure everything already started is stopped again. */
    public static Node start(NodeConfig config, NodeKey key, Clock clock, String version)
            throws EngineException, KeyException, IOException {
        return start(config, key, clock, version, InferenceEngine::open);
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
        HostPort listen = config.listenAddress();
        NodeServer server = NodeServer.start(
                new ServerSettings(
                        listen.host(),
                        listen.port(),
                        s.ioThreads(),
                        s.maxBodyBytes(),
                        s.maxHeaderBytes(),
                        s.maxConnections(),
                        s.readTimeout(),
                        s.idleTimeout(),
                        s.writeTimeout()),
                metrics,
                json);
        InferenceEngine engine = null;
        ThreadPoolExecutor workers = null;
        try {
            engine = opener.open(engineConfig(config), clock);
            int threads = s.workers() > 0 ? s.workers() : Runtime.getRuntime().availableProcessors();
            // admission bounds what is queued, so this queue can never overflow
            int capacity = engine.models().size() * s.queueCapacity() + threads;
            workers = new ThreadPoolExecutor(
                    threads, threads, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(capacity), daemonThreads());
            for (ModelInfo m : engine.models()) {
                metrics.model(m.name(), m.provider(), m.deterministic(), m.ready());
                log.info(
                        "model {} sha256={} provider={} deterministic={} ready={}",
                        m.name(),
                        m.sha256(),
                        m.provider(),
                        m.deterministic(),
                        m.ready());
            }
            InferenceService service = new InferenceService(
                    engine,
                    signer,
                    new InferRequestDecoder(json.factory()),
                    metrics,
                    workers,
                    clock,
                    new ServiceLimits(s.queueCapacity(), s.requestTimeout()));
            NodeStatus status = new NodeStatus(engine, service, key, signer, version);
            server.attach(new NodeServices(service, status));
            log.info(
                    "node_id={} sig_alg={} ready={}",
                    key.nodeId().hex(),
                    signer.sigAlg().wireName(),
                    status.ready());
            return new Node(config, engine, workers, server, status);
        } catch (EngineException | RuntimeException e) {
            server.shutdown(java.time.Duration.ZERO);
            if (workers != null) {
                workers.shutdownNow();
            }
            if (engine != null) {
                engine.close();
            }
            throw e;
        }
    }

    static EngineConfig engineConfig(NodeConfig config) {
        NodeConfig.Engine e = config.engine();
        NodeConfig.Cuda c = e.cuda();
        return new EngineConfig(
                config.modelsDir(),
                e.providerMode(),
                new CudaOptions(
                        c.deviceIds(),
                        c.gpuMemLimit(),
                        c.arenaExtendStrategy(),
                        c.cudnnConvAlgoSearch(),
                        c.useTf32(),
                        c.doCopyInDefaultStream()),
                e.deterministic(),
                e.intraOpThreads(),
                e.interOpThreads(),
                e.maxConcurrencyPerInstance());
    }

    private static java.util.concurrent.ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "pxnode-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public InetSocketAddress address() {
        return server.address();
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
        server.shutdown(config.server().drainTimeout());
        workers.shutdown();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
        }
        engine.close();
    }
}
