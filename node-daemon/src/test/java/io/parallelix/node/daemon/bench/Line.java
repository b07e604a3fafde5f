package io.parallelix.node.daemon.bench;

import java.util.Locale;

/**
 * The bench's output: tab-separated lines on stdout. RESULT: mode, workload, provider, concurrency,
 * repeat, count, errors, seconds, requests/s, p50, p90, p99, max, mean (µs), CPU µs per request of
 * the measured process (the node for http), CPU µs per request of the load generator (wrk; NaN in
 * process), other cores busy meanwhile, result bytes. STAGES: workload, provider, concurrency,
 * repeat, then the node's mean µs per stage (NodeProbe.STAGES) over the http point. PAIRED: mode,
 * workload, provider, repeat, count, then medians (µs) of latency, run, sign stage, latency − run −
 * sign, latency − the node's total.
 */
final class Line {
    private final String workload;
    private final String provider;
    private final String repeat;
    private final int resultBytes;

    Line(String workload, String provider, String repeat, int resultBytes) {
        this.workload = workload;
        this.provider = provider;
        this.repeat = repeat;
        this.resultBytes = resultBytes;
    }

    void closedLoop(String mode, int c, ClosedLoop.Stats s) {
        print(
                "RESULT",
                mode,
                workload,
                provider,
                Integer.toString(c),
                repeat,
                Long.toString(s.count()),
                Long.toString(s.errors()),
                f(s.seconds()),
                f(s.throughput()),
                f(s.percentileMicros(50)),
                f(s.percentileMicros(90)),
                f(s.percentileMicros(99)),
                f(s.percentileMicros(100)),
                f(s.meanMicros()),
                f(s.cpuMicrosPerCall()),
                "NaN",
                f(s.otherCores()),
                Integer.toString(resultBytes));
    }

    void http(int c, WrkLoad.Result h) {
        print(
                "RESULT",
                "http",
                workload,
                provider,
                Integer.toString(c),
                repeat,
                Long.toString(h.count()),
                Long.toString(h.errors()),
                f(h.seconds()),
                f(h.throughput()),
                f(h.p50()),
                f(h.p90()),
                f(h.p99()),
                f(h.max()),
                f(h.mean()),
                f(h.nodeCpuMicros()),
                f(h.wrkCpuMicros()),
                f(h.otherCores()),
                Integer.toString(resultBytes));
        String[] stages = new String[4 + h.stageMeans().length];
        stages[0] = workload;
        stages[1] = provider;
        stages[2] = Integer.toString(c);
        stages[3] = repeat;
        for (int i = 0; i < h.stageMeans().length; i++) {
            stages[4 + i] = f(h.stageMeans()[i]);
        }
        print("STAGES", stages);
    }

    void paired(String mode, PairedOverhead.Medians m) {
        print(
                "PAIRED",
                mode,
                workload,
                provider,
                repeat,
                Long.toString(m.count()),
                f(m.latency()),
                f(m.run()),
                f(m.sign()),
                f(m.overhead()),
                f(m.outsideTotal()));
    }

    static void print(String kind, String... fields) {
        System.out.println(kind + "\t" + String.join("\t", fields));
        System.out.flush();
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
