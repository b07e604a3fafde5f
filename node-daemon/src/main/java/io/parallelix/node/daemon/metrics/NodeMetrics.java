package io.parallelix.node.daemon.metrics;

import io.netty.util.internal.PlatformDependent;
import io.parallelix.node.daemon.protocol.EmbeddingsRequest;
import io.parallelix.node.daemon.protocol.StageTimings;
import io.parallelix.node.daemon.protocol.Task;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's Prometheus metrics, in a registry of its own (no global state). Stage latencies are
 * classic histograms from 50 µs to 60 s so that both a tiny model's overhead and a slow model's
 * run are resolved. A model label is a served model's name (registered by {@link #model}), empty,
 * or {@link #UNKNOWN_MODEL}: names that clients make up never become series of their own, so the
 * scrape stays bounded however many of them arrive.
 */
public final class NodeMetrics {
    /** The label of every model name the node does not serve; served names start with [A-Za-z0-9]. */
    public static final String UNKNOWN_MODEL = "_unknown";

    private static final double[] LATENCY_BOUNDS = {
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60
    };

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
    private final Counter requests;
    private final Histogram stages;
    private final Gauge inFlight;
    private final Gauge queueDepth;
    private final Gauge modelReady;
    private final Info modelProvider;
    private final Counter connectionsRejected;
    private final Counter promptTokens;
    private final Counter generatedTokens;
    private final Histogram firstToken;
    private final Histogram interToken;
    private final Gauge activeSequences;
    private final Counter embeddings;
    private final Counter inlineTasks;
    private final Set<String> served = ConcurrentHashMap.newKeySet();

    public NodeMetrics() {
        requests = Counter.builder()
                .name("pxnode_requests_total")
                .help("Requests answered, by endpoint, model and outcome (ok or an error code)")
                .labelNames("endpoint", "model", "outcome")
                .register(registry);
        stages = Histogram.builder()
                .name("pxnode_stage_seconds")
                .help("Time per request stage: queue, decode, instance_wait, tensor, run, encode, sign, total")
                .labelNames("model", "stage")
                .classicOnly()
                .classicUpperBounds(LATENCY_BOUNDS)
                .register(registry);
        inFlight = Gauge.builder()
                .name("pxnode_in_flight_requests")
                .help("Infer requests accepted and not yet answered")
                .register(registry);
        queueDepth = Gauge.builder()
                .name("pxnode_queue_depth")
                .help("Infer requests admitted per model (waiting or running)")
                .labelNames("model")
                .register(registry);
        modelReady = Gauge.builder()
                .name("pxnode_model_ready")
                .help("1 when the model loaded, warmed up and passed its canary")
                .labelNames("model")
                .register(registry);
        modelProvider = Info.builder()
                .name("pxnode_model_provider_info")
                .help("The execution provider each model actually runs on")
                .labelNames("model", "provider", "deterministic")
                .register(registry);
        connectionsRejected = Counter.builder()
                .name("pxnode_connections_rejected_total")
                .help("Connections closed at once because max_connections was reached")
                .register(registry);
        promptTokens = Counter.builder()
                .name("pxnode_generation_prompt_tokens_total")
                .help("Prompt tokens of the generations started, per model")
                .labelNames("model")
                .register(registry);
        generatedTokens = Counter.builder()
                .name("pxnode_generation_tokens_total")
                .help("Tokens generated (every sampled token, end-of-sequence included), per model")
                .labelNames("model")
                .register(registry);
        firstToken = Histogram.builder()
                .name("pxnode_generation_time_to_first_token_seconds")
                .help("From a generation's start on its worker to its first sampled token (prefill included)")
                .labelNames("model")
                .classicOnly()
                .classicUpperBounds(LATENCY_BOUNDS)
                .register(registry);
        interToken = Histogram.builder()
                .name("pxnode_generation_inter_token_seconds")
                .help("Between two successive tokens of one choice (one decode step and its delivery)")
                .labelNames("model")
                .classicOnly()
                .classicUpperBounds(LATENCY_BOUNDS)
                .register(registry);
        activeSequences = Gauge.builder()
                .name("pxnode_generation_active_sequences")
                .help("Generations running now, per model")
                .labelNames("model")
                .register(registry);
        embeddings = Counter.builder()
                .name("pxnode_embeddings_total")
                .help("Embedding vectors answered (one per input of a successful /v1/embeddings request), per model")
                .labelNames("model")
                .register(registry);
        inlineTasks = Counter.builder()
                .name("pxnode_inline_tasks_total")
                .help("Tasks run on the event loop that received them instead of a worker (server.inline_max),"
                        + " per model")
                .labelNames("model")
                .register(registry);
        // both read at scrape time only, nothing on a request's path
        GaugeWithCallback.builder()
                .name("pxnode_direct_memory_used_bytes")
                .help("Direct memory in use: Netty's own count (on JDK 25 its buffers are outside the JVM's"
                        + " buffer pool) plus the JVM's direct buffer pool (ONNX Runtime's tensors)")
                .callback(cb -> cb.call(directUsed()))
                .register(registry);
        GaugeWithCallback.builder()
                .name("pxnode_direct_memory_max_bytes")
                .help("Netty's limit on direct memory (io.netty.maxDirectMemory, by default -XX:MaxDirectMemorySize)")
                .callback(cb -> cb.call(PlatformDependent.maxDirectMemory()))
                .register(registry);
        JvmMetrics.builder().register(registry); // heap, buffer pools, GC, and process_* (RSS, CPU, fds)
    }

    private static double directUsed() {
        long pool = 0;
        for (BufferPoolMXBean b : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (b.getName().equals("direct")) {
                pool = Math.max(0, b.getMemoryUsed());
            }
        }
        return Math.max(0, PlatformDependent.usedDirectMemory()) + pool; // -1: Netty keeps no count of its own
    }

    /** A task was answered: counts what it delivered that no other series counts (embedding vectors). */
    public void answered(String model, Task task) {
        if (task instanceof EmbeddingsRequest e) {
            embeddings.labelValues(label(model)).inc(e.inputs().size());
        }
    }

    /** A task runs on its event loop (server.inline_max). */
    public void inline(String model) {
        inlineTasks.labelValues(label(model)).inc();
    }

    /** A generation started: its prompt's tokens. */
    public void promptTokens(String model, int tokens) {
        promptTokens.labelValues(label(model)).inc(tokens);
    }

    public void generatedToken(String model) {
        generatedTokens.labelValues(label(model)).inc();
    }

    public void timeToFirstToken(String model, long nanos) {
        firstToken.labelValues(label(model)).observe(nanos / 1e9);
    }

    public void interTokenLatency(String model, long nanos) {
        interToken.labelValues(label(model)).observe(nanos / 1e9);
    }

    /** +1 when a generation starts on its worker, -1 when it ends however it ends. */
    public void activeSequences(String model, int delta) {
        activeSequences.labelValues(label(model)).inc(delta);
    }

    public void request(String endpoint, String model, String outcome) {
        requests.labelValues(endpoint, label(model), outcome).inc();
    }

    /** Every stage of one answered task, from the same figures its envelope's meta carries. */
    public void stages(String model, StageTimings t) {
        observe(model, "queue", t.queue());
        observe(model, "decode", t.decode());
        observe(model, "instance_wait", t.instanceWait());
        observe(model, "tensor", t.tensor());
        observe(model, "run", t.run());
        observe(model, "encode", t.encode());
        observe(model, "sign", t.sign());
        observe(model, "total", t.total());
    }

    private void observe(String model, String stage, long micros) {
        stages.labelValues(label(model), stage).observe(micros / 1e6);
    }

    public void inFlight(int delta) {
        inFlight.inc(delta);
    }

    public void queueDepth(String model, int depth) {
        queueDepth.labelValues(label(model)).set(depth);
    }

    /** Registers a served model: from now on its name is a label value of every per-model metric. */
    public void model(String model, String provider, boolean deterministic, boolean ready) {
        served.add(model);
        modelReady.labelValues(model).set(ready ? 1 : 0);
        modelProvider.addLabelValues(model, provider, Boolean.toString(deterministic));
    }

    /**
     * Empty stays empty (a request that named no model). While the models load nothing is
     * registered yet, so requests answered then count under {@link #UNKNOWN_MODEL} too.
     */
    private String label(String model) {
        return model.isEmpty() || served.contains(model) ? model : UNKNOWN_MODEL;
    }

    public void connectionRejected() {
        connectionsRejected.inc();
    }

    public String contentType() {
        return writer.getContentType();
    }

    public void writeTo(OutputStream out) throws IOException {
        writer.write(out, registry.scrape());
    }
}
