package io.parallelix.node.gpu.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One evidence case's count over N compared answers: how many failed (false rejections for an
 * honest case, detections for a cheat), how many were bitwise identical, and per statistic the
 * worst value seen (honest: the largest; cheat: the least damning, i.e. the closest to passing).
 */
final class Tally {
    private final String name;
    private final boolean honest;
    private final List<String> statistics;
    private final double[] worst;
    private int n;
    private int failed;
    private int bitwise;

    Tally(String name, boolean honest, List<String> statistics) {
        this.name = name;
        this.honest = honest;
        this.statistics = List.copyOf(statistics);
        this.worst = new double[statistics.size()];
        java.util.Arrays.fill(worst, Double.NaN);
    }

    /** One answer: whether all its checks passed, whether it was bitwise equal, its statistics. */
    void add(boolean passed, boolean bitwiseEqual, Map<String, Double> values) {
        n++;
        failed += passed ? 0 : 1;
        bitwise += bitwiseEqual ? 1 : 0;
        for (int i = 0; i < statistics.size(); i++) {
            Double v = values.get(statistics.get(i));
            if (v == null) {
                continue;
            }
            boolean cosine = statistics.get(i).contains("cosine");
            boolean lowerIsWorse = honest ? cosine : !cosine; // a cheat's worst is its least damning value
            if (Double.isNaN(worst[i]) || (lowerIsWorse ? v < worst[i] : v > worst[i])) {
                worst[i] = v;
            }
        }
    }

    String name() {
        return name;
    }

    int n() {
        return n;
    }

    int failed() {
        return failed;
    }

    String header() {
        return "| case | N | " + (honest ? "rejected" : "detected") + " | bitwise identical | "
                + String.join(
                        " | ",
                        statistics.stream()
                                .map(s -> (honest ? "worst " : "least ") + s)
                                .toList()) + " |";
    }

    String row() {
        List<String> cells = new ArrayList<>();
        for (double w : worst) {
            cells.add(Double.isNaN(w) ? "-" : String.format(Locale.ROOT, "%.3g", w));
        }
        return "| " + name + " | " + n + " | " + failed + "/" + n + " | " + bitwise + "/" + n + " | "
                + String.join(" | ", cells) + " |";
    }

    static String table(List<Tally> tallies) {
        StringBuilder out = new StringBuilder(tallies.get(0).header()).append('\n');
        out.append("|---".repeat(4 + tallies.get(0).statistics.size())).append("|\n");
        tallies.forEach(t -> out.append(t.row()).append('\n'));
        return out.toString();
    }
}
