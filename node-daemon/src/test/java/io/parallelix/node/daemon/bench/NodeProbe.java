package io.parallelix.node.daemon.bench;

import io.parallelix.node.testing.Subprocess;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at a running node from outside: its Prometheus metrics, the CPU time and resident size of
 * its process (/proc), and its heap after a full GC (jcmd GC.run, then the JVM metrics).
 */
final class NodeProbe {
    private static final Pattern SAMPLE = Pattern.compile("^([a-z_]+)(?:\\{([^}]*)\\})? (\\S+)$");
    static final String[] STAGES = {"queue", "decode", "instance_wait", "tensor", "run", "encode", "sign", "total"};

    private final URI base;
    private final long pid;
    private final HttpClient client = HttpClient.newHttpClient();

    NodeProbe(URI base, long pid) {
        this.base = base;
        this.pid = pid;
    }

    URI base() {
        return base;
    }

    /** Every sample of /metrics: "name{labels}" to value. */
    Map<String, Double> metrics() throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(base.resolve("/metrics"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Map<String, Double> out = new HashMap<>();
        for (String line : r.body().split("\n")) {
            Matcher m = SAMPLE.matcher(line);
            if (!line.startsWith("#") && m.matches()) {
                out.put(
                        m.group(1) + "{" + (m.group(2) == null ? "" : m.group(2)) + "}",
                        Double.parseDouble(m.group(3)));
            }
        }
        return out;
    }

    /**
     * What the node's answer to one tensor request puts on the wire besides the two headers any
     * answer has (Content-Type, Content-Length): its body and its other headers, so a floor can send
     * as many bytes.
     */
    int answerBytes(String model, byte[] body) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = client.send(
                HttpRequest.newBuilder(base.resolve("/v2/models/" + model + "/infer"))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                        .build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("the node answered " + r.statusCode() + " to " + model);
        }
        int n = r.body().length;
        for (var h : r.headers().map().entrySet()) {
            if (!h.getKey().equalsIgnoreCase("content-type") && !h.getKey().equalsIgnoreCase("content-length")) {
                for (String v : h.getValue()) {
                    n += h.getKey().length() + v.length() + 4; // "name: value\r\n"
                }
            }
        }
        return n;
    }

    /** Mean microseconds per stage of {@code model} between two scrapes, in {@link #STAGES} order. */
    static double[] stageMeans(Map<String, Double> before, Map<String, Double> after, String model) {
        double[] means = new double[STAGES.length];
        for (int i = 0; i < STAGES.length; i++) {
            String labels = "{model=\"" + model + "\",stage=\"" + STAGES[i] + "\"}";
            double sum = after.getOrDefault("pxnode_stage_seconds_sum" + labels, 0.0)
                    - before.getOrDefault("pxnode_stage_seconds_sum" + labels, 0.0);
            double count = after.getOrDefault("pxnode_stage_seconds_count" + labels, 0.0)
                    - before.getOrDefault("pxnode_stage_seconds_count" + labels, 0.0);
            means[i] = count == 0 ? Double.NaN : sum / count * 1e6;
        }
        return means;
    }

    /** utime + stime of the node process, in nanoseconds. */
    long cpuNanos() throws IOException {
        String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L; // fields 14, 15; USER_HZ 100
    }

    /** Resident set size of the node process in bytes. */
    long rssBytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    /** Heap used, non-heap used, direct buffers used, all in bytes, after a full GC of the node. */
    long[] memoryAfterGc() throws IOException, InterruptedException {
        Subprocess.of(Path.of(""), "jcmd", Long.toString(pid), "GC.run").run(); // output and exit unused
        Map<String, Double> m = metrics();
        long heap = 0;
        long nonHeap = 0;
        for (Map.Entry<String, Double> e : m.entrySet()) {
            if (e.getKey().startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                heap += e.getValue().longValue();
            } else if (e.getKey().startsWith("jvm_memory_used_bytes{area=\"nonheap\"")) {
                nonHeap += e.getValue().longValue();
            }
        } // the node's own count: on JDK 25 Netty's buffers are not in the JVM's direct pool
        long direct = m.getOrDefault("pxnode_direct_memory_used_bytes{}", -1.0).longValue();
        return new long[] {heap, nonHeap, direct};
    }
}
