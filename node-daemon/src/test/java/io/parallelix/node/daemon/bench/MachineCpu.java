package io.parallelix.node.daemon.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time the whole machine spent busy (user, nice, system, irq, softirq, steal in /proc/stat),
 * so a measurement can say how much of the shared machine other work took meanwhile.
 */
final class MachineCpu {
    private static final long NANOS_PER_TICK = 10_000_000L; // USER_HZ = 100 on Linux

    private MachineCpu() {}

    static long busyNanos() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long ticks = 0;
            for (int i : new int[] {1, 2, 3, 6, 7, 8}) {
                ticks += Long.parseLong(f[i]);
            }
            return ticks * NANOS_PER_TICK;
        } catch (IOException | RuntimeException e) {
            return 0; // not Linux: "other" reads as 0
        }
    }
}
