package io.parallelix.node.daemon.bench;

import io.parallelix.node.testing.Subprocess;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * One wrk run (one thread, {@code c} keep-alive connections, a fixed body through
 * scripts/bench/post.lua) against the node, with the node's CPU time and stage metrics around it and
 * wrk's own CPU time (bash's {@code time}), so the report can show the load generator was not the
 * bottleneck.
 */
final class WrkLoad {
    /** Latencies in microseconds; CPU figures per completed request. */
    record Result(
            long count,
            long errors,
            double seconds,
            Latencies latencies,
            double nodeCpuMicros,
            double wrkCpuMicros,
            double otherCores,
            double[] stageMeans) {
        double throughput() {
            return count / seconds;
        }
    }

    private final URI base;
    private final Path lua;
    private final NodeProbe probe;
    private final boolean stages;

    WrkLoad(URI base, Path lua, NodeProbe probe) {
        this(base, lua, probe, true);
    }

    private WrkLoad(URI base, Path lua, NodeProbe probe, boolean stages) {
        this.base = base;
        this.lua = lua;
        this.probe = probe;
        this.stages = stages;
    }

    /** Against a server that has no /metrics (an {@link HttpFloor} in this process): no stage means. */
    static WrkLoad withoutMetrics(URI base, Path lua, long pid) {
        return new WrkLoad(base, lua, new NodeProbe(base, pid), false);
    }

    Result run(String model, Path body, int connections, int seconds, long maxRequests)
            throws IOException, InterruptedException {
        return run("/v2/models/" + model + "/infer", model, body, connections, seconds, maxRequests);
    }

    /** Longest wrk run of a warm-up: see {@link #warm}. */
    static final int WARM_RUN_SECONDS = 5;

    /**
     * A JIT warm-up of about {@code seconds}: wrk runs of at most {@link #WARM_RUN_SECONDS} each, so
     * the server has seen its connections close and its loops idle before anything is measured.
     * One long run leaves those paths unprofiled: the first windows after it then pay their
     * deoptimisations and recompiles (MiniLM 16, c=8: 2.5-4x the deoptimisations in the next six 3 s
     * windows, and the first window 20-25 % below the rest; docs/benchmarks.md, "Sixth round").
     * Returns the requests served.
     */
    long warm(String model, Path body, int connections, int seconds) throws IOException, InterruptedException {
        long served = 0;
        for (int secs : warmRuns(seconds)) {
            served += run(model, body, connections, secs, 0).count();
        }
        return served;
    }

    /** The lengths of {@link #warm}'s runs: at least one second in all, none over {@link #WARM_RUN_SECONDS}. */
    static int[] warmRuns(int seconds) {
        int total = Math.max(1, seconds);
        int[] runs = new int[(total + WARM_RUN_SECONDS - 1) / WARM_RUN_SECONDS];
        for (int i = 0; i < runs.length; i++) {
            runs[i] = Math.min(WARM_RUN_SECONDS, total - i * WARM_RUN_SECONDS);
        }
        return runs;
    }

    /** As {@link #run(String, Path, int, int, long)} on any path; {@code model} labels the stage metrics. */
    Result run(String path, String model, Path body, int connections, int seconds, long maxRequests)
            throws IOException, InterruptedException {
        Map<String, Double> before = stages ? probe.metrics() : Map.of();
        long nodeCpu0 = probe.cpuNanos();
        long busy0 = MachineCpu.busyNanos();
        String url = base.toString();
        Subprocess.Result run = Subprocess.of(
                        Path.of(""),
                        "bash",
                        "-c",
                        "TIMEFORMAT='CPU %U %S'; time wrk -t1 -c" + connections + " -d" + seconds
                                + "s --timeout 60s -s '" + lua + "' '" + url + "'")
                .withEnv(Map.of(
                        "BENCH_BODY", body.toString(),
                        "BENCH_PATH", path,
                        "BENCH_MAX", Long.toString(maxRequests)))
                // wrk stops itself after the duration; a request may take its 60 s timeout on top
                .withTimeout(Duration.ofSeconds(seconds + 120L))
                .run();
        // wrk's summary is on stdout, bash's time line on stderr
        String out = run.stdout() + "\n" + run.stderr();
        if (run.exit() != 0) {
            throw new IOException("wrk failed: " + out);
        }
        long busy1 = MachineCpu.busyNanos();
        long nodeCpu1 = probe.cpuNanos();
        Map<String, Double> after = stages ? probe.metrics() : Map.of();
        Map<String, Double> wrk = fields(out, "WRK ");
        Map<String, Double> cpu = new HashMap<>();
        for (String line : out.split("\n")) {
            if (line.startsWith("CPU ")) {
                String[] f = line.split(" ");
                cpu.put("cpu", Double.parseDouble(f[1]) + Double.parseDouble(f[2]));
            }
        }
        long count = wrk.get("requests").longValue();
        long errors = (long)
                (wrk.get("connect") + wrk.get("read") + wrk.get("write") + wrk.get("status") + wrk.get("timeout"));
        double secs = wrk.get("duration_us") / 1e6;
        long nodeCpu = nodeCpu1 - nodeCpu0;
        double wrkCpu = cpu.getOrDefault("cpu", Double.NaN) * 1e9;
        double other = Math.max(0, (busy1 - busy0) - nodeCpu - wrkCpu) / 1e9 / secs;
        return new Result(
                count,
                errors,
                secs,
                new Latencies(wrk.get("p50"), wrk.get("p90"), wrk.get("p99"), wrk.get("max"), wrk.get("mean")),
                count == 0 ? Double.NaN : nodeCpu / 1e3 / count,
                count == 0 ? Double.NaN : wrkCpu / 1e3 / count,
                other,
                NodeProbe.stageMeans(before, after, model));
    }

    private static Map<String, Double> fields(String out, String prefix) throws IOException {
        for (String line : out.split("\n")) {
            if (line.startsWith(prefix)) {
                Map<String, Double> m = new HashMap<>();
                for (String kv : line.substring(prefix.length()).trim().split(" ")) {
                    String[] p = kv.split("=", 2);
                    m.put(p[0], Double.parseDouble(p[1]));
                }
                return m;
            }
        }
        throw new IOException("no summary line from wrk: " + out);
    }
}
