package io.parallelix.node.daemon.bench;

import io.parallelix.node.testing.Subprocess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The independent reference of the limit: onnxruntime-node on the same model and request body
 * (scripts/bench/ort_reference.mjs, run with {@code node} as wrk is run), so the ratio does not
 * depend on our own Java loop. The script tries its candidate configurations and reports each and
 * the best; the bench prints them as {@code ortnode@i1}, ..., {@code ortnode}.
 */
final class OrtReference {
    /** One configuration's window: latencies in µs, CPU µs per run of the node process. */
    record Result(String label, long count, double seconds, Latencies latencies, double cpuMicros, double otherCores) {
        double throughput() {
            return count / seconds;
        }
    }

    private final Path script;

    private OrtReference(Path script) {
        this.script = script;
    }

    /**
     * The reference when {@code node} runs and onnxruntime-node resolves (scripts/refs.sh);
     * otherwise a one-line warning on stderr and nothing: the bench runs on without it.
     */
    static Optional<OrtReference> find(Path script) {
        String why;
        try {
            Subprocess.Result r = Subprocess.of(Path.of(""), "node", script.toString(), "--check")
                    .run();
            if (r.exit() == 0 && r.stdout().startsWith("ORTNODE version=")) {
                return Optional.of(new OrtReference(script));
            }
            // node's own message, e.g. "Error: Cannot find module 'onnxruntime-node'"
            why = r.stderr()
                    .lines()
                    .filter(l -> l.startsWith("Error"))
                    .findFirst()
                    .orElse("exit " + r.exit());
        } catch (AssertionError e) { // Subprocess: the program could not start
            why = "node is not on the PATH";
        }
        System.err.println("bench: skipping ortnode (" + why + "; fix: install Node 20+ and run bash scripts/refs.sh)");
        return Optional.empty();
    }

    /** Every candidate, then the best (label "best"), measured at concurrency {@code c}. */
    List<Result> run(Path model, Path body, int c, Duration warmup, Duration window) {
        long secs = Math.max(1, (window.toMillis() + 999) / 1000);
        Subprocess.Result r = Subprocess.of(
                        Path.of(""),
                        "node",
                        script.toString(),
                        model.toString(),
                        body.toString(),
                        Long.toString(secs),
                        Integer.toString(c),
                        Long.toString(warmup.toMillis()))
                .withTimeout(Duration.ofSeconds(120 + 4 * secs))
                .run()
                .requireSuccess();
        List<Result> out = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            if (line.startsWith("ORTNODE ")) {
                out.add(parse(line));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalStateException("no ORTNODE line from " + script + ": " + r.stdout());
        }
        return out;
    }

    static Result parse(String line) {
        Map<String, String> f = new HashMap<>();
        for (String kv : line.substring("ORTNODE ".length()).trim().split(" ")) {
            String[] p = kv.split("=", 2);
            f.put(p[0], p[1]);
        }
        return new Result(
                f.get("label"),
                Long.parseLong(f.get("runs")),
                Double.parseDouble(f.get("seconds")),
                new Latencies(
                        Double.parseDouble(f.get("p50_us")),
                        Double.parseDouble(f.get("p90_us")),
                        Double.parseDouble(f.get("p99_us")),
                        Double.parseDouble(f.get("max_us")),
                        Double.parseDouble(f.get("mean_us"))),
                Double.parseDouble(f.get("cpu_us")),
                Double.parseDouble(f.get("other")));
    }
}
