package io.parallelix.node.daemon.hardening;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain loopback socket, for what the JDK client will not send: exact bytes,
 * broken framing, trickles, pipelining, clients that never read. Every read is bounded by the
 * socket timeout, so a node that hangs fails the test instead of stalling it.
 */
public final class RawHttp implements AutoCloseable {
    /** One whole response. */
    @SuppressWarnings("ArrayRecordComponent") // test data holder
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    public static RawHttp connect(int port) throws IOException {
        return connect(port, 0);
    }

    /** receiveBuffer > 0 shrinks the client's socket buffer (set before connecting, so it holds). */
    public static RawHttp connect(int port, int receiveBuffer) throws IOException {
        Socket s = new Socket();
        if (receiveBuffer > 0) {
            s.setReceiveBufferSize(receiveBuffer);
        }
        s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        s.setSoTimeout(10_000);
        s.setTcpNoDelay(true);
        return new RawHttp(s);
    }

    /** Over a socket already connected (a TLS one, say), with the usual 10 s read bound. */
    public static RawHttp over(Socket connected) throws IOException {
        connected.setSoTimeout(10_000);
        return new RawHttp(connected);
    }

    /** Connects, sends, reads one response, closes. */
    public static Response exchange(int port, byte[] request) throws IOException {
        try (RawHttp c = connect(port)) {
            return c.send(request).read();
        }
    }

    public RawHttp timeout(Duration timeout) throws SocketException {
        socket.setSoTimeout((int) timeout.toMillis());
        return this;
    }

    public RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    public RawHttp send(String ascii) throws IOException {
        return send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Bytes that arrived and were not read yet (does not consume them). */
    public int available() throws IOException {
        return in.available();
    }

    /** Reads one whole response (Content-Length framed, or up to EOF without one). */
    public Response read() throws IOException {
        Response head = readHead();
        String length = head.header("content-length");
        byte[] body;
        if (length != null) {
            int n = Integer.parseInt(length);
            body = in.readNBytes(n);
            if (body.length < n) {
                throw new EOFException("connection closed after " + body.length + " of " + n + " body bytes");
            }
        } else {
            body = readToEnd();
        }
        return new Response(head.status(), head.headers(), body);
    }

    /** Reads the status line and headers only; the body is left to read. */
    public Response readHead() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new EOFException("connection closed before a response");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP response: " + statusLine);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h; (h = line()) != null && !h.isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(
                    h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    h.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(parts[1]), headers, new byte[0]);
    }

    /** True if the peer closed (EOF or reset) within the socket timeout; false if it stays open. */
    public boolean closedByPeer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset
        }
    }

    /** Reads until the peer closes (a reset counts as the end); returns how many bytes came. */
    public long drain() throws IOException {
        long n = 0;
        byte[] buf = new byte[65536];
        try {
            for (int r; (r = in.read(buf)) >= 0; ) {
                n += r;
            }
        } catch (SocketException e) {
            // reset after the bytes counted so far
        }
        return n;
    }

    private byte[] readToEnd() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            in.transferTo(b);
        } catch (SocketException e) {
            // reset: what arrived is the body
        }
        return b.toByteArray();
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) >= 0; ) {
            if (c == '\n') {
                String s = b.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            b.write(c);
        }
        return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A request with Host and, when a body is given, Content-Type and Content-Length. */
    public static byte[] request(String method, String path, String contentType, byte[] body, String... headers) {
        StringBuilder head =
                new StringBuilder().append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        if (body != null) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        }
        head.append("\r\n");
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (body != null) {
            b.writeBytes(body);
        }
        return b.toByteArray();
    }

    public static byte[] get(String path) {
        return request("GET", path, null, null);
    }

    public static byte[] postJson(String path, String json) {
        return request("POST", path, "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }
}
