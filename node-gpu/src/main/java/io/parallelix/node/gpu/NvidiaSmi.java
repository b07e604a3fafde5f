package io.parallelix.node.gpu;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Parses {@code nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader,nounits}. */
final class NvidiaSmi {
    record Parsed(List<String> names, @Nullable String driver, long memoryBytes) {}

    private NvidiaSmi() {}

    /** One line per GPU, "NVIDIA H100 80GB HBM3, 81559, 550.54.15" (memory in MiB); odd lines are skipped. */
    static Parsed parse(String output) {
        List<String> names = new ArrayList<>();
        String driver = null;
        long memory = 0;
        for (String line : output.lines().toList()) {
            int last = line.lastIndexOf(',');
            int middle = last < 0 ? -1 : line.lastIndexOf(',', last - 1);
            if (middle <= 0) {
                continue;
            }
            names.add(line.substring(0, middle).strip());
            try {
                memory += Long.parseLong(line.substring(middle + 1, last).strip()) * 1024 * 1024;
            } catch (NumberFormatException e) {
                // "[N/A]" on some boards: memory unknown
            }
            String version = line.substring(last + 1).strip();
            if (driver == null && !version.isEmpty()) {
                driver = version;
            }
        }
        return new Parsed(names, driver, memory);
    }
}
