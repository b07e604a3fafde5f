package io.parallelix.node.daemon.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A/B of two running nodes (e.g. before and after a change) on a noisy machine: rounds alternate
 * between them, each a window of {@link PairedOverhead#http} at concurrency 1, so both see the same
 * background load. Prints each round and the medians of the per-round medians. Arguments: {@code
 * --a URL --b URL --model add --body FILE --rounds 10 --window-ms 2000 [--a-pid PID --b-pid PID]}; with the pids it also reports each node's CPU per
 * request.
 */
public final class AbCompare {
    private AbCompare() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = BenchArgs.parse(argv);
        URI[] nodes = {URI.create(a.get("a")), URI.create(a.get("b"))};
        NodeProbe[] probes = {
            new NodeProbe(nodes[0], Long.parseLong(a.getOrDefault("a-pid", "-1"))),
            new NodeProbe(nodes[1], Long.parseLong(a.getOrDefault("b-pid", "-1")))
        };
        List<List<Double>> cpu = List.of(new ArrayList<>(), new ArrayList<>());
        String model = a.getOrDefault("model", "add");
        byte[] body = Files.readAllBytes(Path.of(a.get("body")));
        int rounds = Integer.parseInt(a.getOrDefault("rounds", "10"));
        long window = Long.parseLong(a.getOrDefault("window-ms", "2000"));
        PairedOverhead paired = new PairedOverhead();
        List<List<PairedOverhead.Medians>> seen = List.of(new ArrayList<>(), new ArrayList<>());
        for (URI node : nodes) { // warm-up
            paired.http(node, model, body, window);
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 2; i++) {
                int k = (r % 2 == 0) ? i : 1 - i; // alternate who goes first
                long cpu0 = cpuNanos(probes[k]);
                PairedOverhead.Medians m = paired.http(nodes[k], model, body, window);
                double perRequest = (cpuNanos(probes[k]) - cpu0) / 1e3 / m.count();
                seen.get(k).add(m);
                cpu.get(k).add(perRequest);
                System.out.printf(
                        Locale.ROOT,
                        "round %d %s: n=%d latency %.0f run %.0f sign %.0f overhead %.0f outside %.0f node CPU/req %.0f%n",
                        r + 1,
                        k == 0 ? "A" : "B",
                        m.count(),
                        m.latency(),
                        m.run(),
                        m.sign(),
                        m.overhead(),
                        m.outsideTotal(),
                        perRequest);
            }
        }
        for (int k = 0; k < 2; k++) {
            List<PairedOverhead.Medians> s = seen.get(k);
            System.out.printf(
                    Locale.ROOT,
                    "%s: median over %d rounds: latency %.0f, overhead %.0f [%.0f-%.0f], outside the node %.0f"
                            + " [%.0f-%.0f], node CPU per request %.0f us%n",
                    k == 0 ? "A" : "B",
                    s.size(),
                    median(s.stream()
                            .mapToDouble(PairedOverhead.Medians::latency)
                            .toArray()),
                    median(s.stream()
                            .mapToDouble(PairedOverhead.Medians::overhead)
                            .toArray()),
                    s.stream()
                            .mapToDouble(PairedOverhead.Medians::overhead)
                            .min()
                            .orElse(Double.NaN),
                    s.stream()
                            .mapToDouble(PairedOverhead.Medians::overhead)
                            .max()
                            .orElse(Double.NaN),
                    median(s.stream()
                            .mapToDouble(PairedOverhead.Medians::outsideTotal)
                            .toArray()),
                    s.stream()
                            .mapToDouble(PairedOverhead.Medians::outsideTotal)
                            .min()
                            .orElse(Double.NaN),
                    s.stream()
                            .mapToDouble(PairedOverhead.Medians::outsideTotal)
                            .max()
                            .orElse(Double.NaN),
                    median(cpu.get(k).stream().mapToDouble(Double::doubleValue).toArray()));
        }
    }

    private static long cpuNanos(NodeProbe probe) {
        try {
            return probe.cpuNanos();
        } catch (java.io.IOException | RuntimeException e) {
            return 0; // no pid given: CPU reads as 0
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s[s.length / 2];
    }
}
