package io.parallelix.node.daemon.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Which modes run at which concurrency, e.g. {@code "ort:1,8 ort+sign:1,2,8,32 http:1,2,8,32"}.
 * Points run by concurrency, then in the plan's mode order, so the figures a ratio compares are
 * measured back to back.
 */
record BenchPlan(Map<String, List<Integer>> levels) {
    /** The limit and its reference just ahead of http, so HTTP ÷ best pairs neighbours. */
    static final String DEFAULT = "ort:1,8 ort+sign:1,8 engine:8 service:1,8 best-ort:1,8 best:1,8 ortnode:8"
            + " http:1,2,8,32 sign:1,8 signer:1 paired-service:1 paired-http:1";

    static BenchPlan parse(String spec) {
        Map<String, List<Integer>> levels = new LinkedHashMap<>();
        for (String part : spec.trim().split("\\s+")) {
            String[] mc = part.split(":", 2);
            if (mc.length != 2) {
                throw new IllegalArgumentException("plan entries are mode:c1,c2,..., got '" + part + "'");
            }
            List<Integer> cs = new ArrayList<>();
            for (String c : mc[1].split(",")) {
                cs.add(Integer.parseInt(c));
            }
            levels.put(mc[0], List.copyOf(cs));
        }
        return new BenchPlan(levels);
    }

    /** Every concurrency of the plan, ascending. */
    List<Integer> concurrencies() {
        TreeSet<Integer> all = new TreeSet<>();
        levels.values().forEach(all::addAll);
        return List.copyOf(all);
    }

    /** The modes to run at concurrency {@code c}, in plan order. */
    List<String> modesAt(int c) {
        return levels.entrySet().stream()
                .filter(e -> e.getValue().contains(c))
                .map(Map.Entry::getKey)
                .toList();
    }

    int maxConcurrency() {
        return concurrencies().stream().mapToInt(Integer::intValue).max().orElse(1);
    }
}
