package io.parallelix.node.daemon.bench;

import java.util.Locale;

/**
 * The bench's output: tab-separated lines on stdout. RESULT: mode, workload, provider, concurrency,
 * repeat, count, errors, seconds, requests/s, p50, p90, p99, max, mean (µs), CPU µs per request of
 * the measured process (the node for http, Node.js for ortnode), CPU µs per request of the load generator (wrk; NaN in
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
        result(
                mode,
                c,
                s.count(),
                s.errors(),
                s.seconds(),
                s.throughput(),
                new Latencies(
                        s.percentileMicros(50),
                        s.percentileMicros(90),
                        s.percentileMicros(99),
                        s.percentileMicros(100),
                        s.meanMicros()),
                s.cpuMicrosPerCall(),
                Double.NaN,
                s.otherCores());
    }

    /** One configuration of the onnxruntime-node reference: no errors (a failed run fails the script). */
    void reference(String mode, int c, OrtReference.Result r) {
        result(
                mode,
                c,
                r.count(),
                0,
                r.seconds(),
                r.throughput(),
                r.latencies(),
                r.cpuMicros(),
                Double.NaN,
                r.otherCores());
    }

    void http(int c, WrkLoad.Result h) {
        wrk("http", c, h);
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

    /** A wrk point against anything: CPU is that server's, the load generator's is wrk's. */
    void wrk(String mode, int c, WrkLoad.Result h) {
        result(
                mode,
                c,
                h.count(),
                h.errors(),
                h.seconds(),
                h.throughput(),
                h.latencies(),
                h.nodeCpuMicros(),
                h.wrkCpuMicros(),
                h.otherCores());
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

    private void result(
            String mode,
            int c,
            long count,
            long errors,
            double seconds,
            double rps,
            Latencies latencies,
            double cpu,
            double genCpu,
            double other) {
        print(
                "RESULT",
                mode,
                workload,
                provider,
                Integer.toString(c),
                repeat,
                Long.toString(count),
                Long.toString(errors),
                f(seconds),
                f(rps),
                f(latencies.p50()),
                f(latencies.p90()),
                f(latencies.p99()),
                f(latencies.max()),
                f(latencies.mean()),
                f(cpu),
                f(genCpu),
                f(other),
                Integer.toString(resultBytes));
    }

    static void print(String kind, String... fields) {
        System.out.println(kind + "\t" + String.join("\t", fields));
        System.out.flush();
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
