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
 * --a URL --b URL --model add --body FILE --rounds 10 --window-ms 2000}.
 */
public final class AbCompare {
    private AbCompare() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = BenchArgs.parse(argv);
        URI[] nodes = {URI.create(a.get("a")), URI.create(a.get("b"))};
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
                PairedOverhead.Medians m = paired.http(nodes[k], model, body, window);
                seen.get(k).add(m);
                System.out.printf(
                        Locale.ROOT,
                        "round %d %s: n=%d latency %.0f run %.0f sign %.0f overhead %.0f outside %.0f%n",
                        r + 1,
                        k == 0 ? "A" : "B",
                        m.count(),
                        m.latency(),
                        m.run(),
                        m.sign(),
                        m.overhead(),
                        m.outsideTotal());
            }
        }
        for (int k = 0; k < 2; k++) {
            List<PairedOverhead.Medians> s = seen.get(k);
            System.out.printf(
                    Locale.ROOT,
                    "%s: median over %d rounds: latency %.0f, overhead %.0f [%.0f-%.0f], outside the node %.0f"
                            + " [%.0f-%.0f] us%n",
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
                            .orElse(Double.NaN));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        java.util.Arrays.sort(s);
        return s.length == 0 ? Double.NaN : s[s.length / 2];
    }
}
