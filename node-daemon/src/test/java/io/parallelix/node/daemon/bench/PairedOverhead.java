package io.parallelix.node.daemon.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.protocol.StageTimings;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The per-request overhead at concurrency 1, paired request by request: each answer's own
 * meta.timings_us (run, sign = PoE + signature + verify, total) are subtracted from the latency the
 * client measured for that very request, so the run's and the signature's variance (hundreds of
 * microseconds on a shared machine) cancel out. Over HTTP the client is a blocking socket that
 * writes one prebuilt request and reads the answer by Content-Length: a few microseconds of its own.
 */
final class PairedOverhead {
    /** Medians in microseconds over one window. */
    record Medians(long count, double latency, double run, double sign, double overhead, double outsideTotal) {}

    private final ObjectMapper json = new ObjectMapper();

    /** Over HTTP: latency − run − sign per request; outsideTotal = latency − the node's total. */
    Medians http(URI base, String model, byte[] body, long millis) throws IOException {
        String head = "POST /v2/models/" + model + "/infer HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
        byte[] request = concat(head.getBytes(StandardCharsets.US_ASCII), body);
        Samples s = new Samples();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            long end = System.nanoTime() + millis * 1_000_000;
            while (System.nanoTime() < end) {
                long t0 = System.nanoTime();
                out.write(request);
                out.flush();
                byte[] answer = readAnswer(in);
                long t1 = System.nanoTime();
                JsonNode t = json.readTree(answer).path("meta").path("timings_us");
                s.add(
                        (t1 - t0) / 1e3,
                        t.path("run").asLong(),
                        t.path("sign").asLong(),
                        t.path("total").asLong());
            }
        }
        return s.medians();
    }

    /** In process: the service's future, joined by the calling thread. */
    Medians service(ServiceCall call, long millis) throws Exception {
        Samples s = new Samples();
        long end = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < end) {
            long t0 = System.nanoTime();
            StageTimings t = call.timings();
            long t1 = System.nanoTime();
            s.add((t1 - t0) / 1e3, t.run(), t.sign(), t.total());
        }
        return s.medians();
    }

    @FunctionalInterface
    interface ServiceCall {
        StageTimings timings() throws Exception;
    }

    /** Status line and headers, then exactly Content-Length bytes; anything but 200 is an error. */
    private static byte[] readAnswer(InputStream in) throws IOException {
        StringBuilder headers = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            headers.append((char) c);
            if (c == '\n'
                    && headers.length() >= 4
                    && headers.substring(headers.length() - 4).equals("\r\n\r\n")) {
                break;
            }
        }
        String h = headers.toString();
        if (!h.startsWith("HTTP/1.1 200")) {
            throw new IOException("node answered " + h.lines().findFirst().orElse("nothing"));
        }
        int at = h.toLowerCase(Locale.ROOT).indexOf("content-length:");
        int length = Integer.parseInt(h.substring(at + 15, h.indexOf('\r', at)).trim());
        return in.readNBytes(length);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static final class Samples {
        private double[][] rows = new double[4][1024];
        private int n;

        void add(double latency, long run, long sign, long total) {
            if (n == rows[0].length) {
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = Arrays.copyOf(rows[i], n * 2);
                }
            }
            rows[0][n] = latency;
            rows[1][n] = run;
            rows[2][n] = sign;
            rows[3][n] = total;
            n++;
        }

        Medians medians() {
            double[] overhead = new double[n];
            double[] outside = new double[n];
            for (int i = 0; i < n; i++) {
                overhead[i] = rows[0][i] - rows[1][i] - rows[2][i];
                outside[i] = rows[0][i] - rows[3][i];
            }
            return new Medians(n, median(rows[0]), median(rows[1]), median(rows[2]), median(overhead), median(outside));
        }

        private double median(double[] values) {
            double[] v = Arrays.copyOf(values, n);
            Arrays.sort(v);
            return n == 0 ? Double.NaN : v[n / 2];
        }
    }
}
