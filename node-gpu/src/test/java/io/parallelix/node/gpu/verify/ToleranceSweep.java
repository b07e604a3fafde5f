package io.parallelix.node.gpu.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Candidate tolerances against every case: per candidate and case, how many
 * of the N answers failed under it. For an honest case that is
 * false rejections (want 0), for a cheat detections (want N): the table shows the window of
 * tolerances that does both.
 */
final class ToleranceSweep<T> {
    private final String header;
    private final List<T> candidates;
    private final Function<T, String> label;
    private final Map<String, int[]> outsideByCase = new LinkedHashMap<>();
    private final Map<String, Integer> nByCase = new LinkedHashMap<>();

    /** {@code header}: the first cells' titles ("fp32 absolute | relative"); label: a candidate's cells. */
    ToleranceSweep(String header, List<T> candidates, Function<T, String> label) {
        this.header = header;
        this.candidates = List.copyOf(candidates);
        this.label = label;
    }

    /** A tensor-tolerance sweep of one dtype family. */
    static ToleranceSweep<TensorPolicy.Tolerance> tensors(String family, List<TensorPolicy.Tolerance> candidates) {
        return new ToleranceSweep<>(
                family + " absolute | relative",
                candidates,
                t -> String.format(Locale.ROOT, "%.0e | %.0e", t.absolute(), t.relative()));
    }

    /** One answer of {@code caseName}: {@code outside} says whether it fails under a candidate tolerance. */
    void add(String caseName, Predicate<T> outside) {
        int[] counts = outsideByCase.computeIfAbsent(caseName, k -> new int[candidates.size()]);
        for (int i = 0; i < candidates.size(); i++) {
            counts[i] += outside.test(candidates.get(i)) ? 1 : 0;
        }
        nByCase.merge(caseName, 1, Integer::sum);
    }

    List<T> candidates() {
        return candidates;
    }

    String table() {
        List<String> cases = new ArrayList<>(outsideByCase.keySet());
        StringBuilder out = new StringBuilder("| " + header + " | ");
        out.append(String.join(" | ", cases)).append(" |\n");
        out.append("|---".repeat(header.split("\\|").length + cases.size())).append("|\n");
        for (int i = 0; i < candidates.size(); i++) {
            out.append("| ").append(label.apply(candidates.get(i))).append(" |");
            for (String c : cases) {
                out.append(' ')
                        .append(outsideByCase.get(c)[i])
                        .append('/')
                        .append(nByCase.getOrDefault(c, 0))
                        .append(" |");
            }
            out.append('\n');
        }
        return out.toString();
    }
}
