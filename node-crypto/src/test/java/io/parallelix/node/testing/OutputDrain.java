package io.parallelix.node.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Reads one output stream of a process on a thread of its own: a full stderr pipe must never block
 * the stdout reader, and the common pool has a single thread on a 2-core machine. What was read so
 * far stays available, for the message about a program that timed out.
 */
final class OutputDrain {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final Thread reader;
    private volatile @Nullable IOException failure;

    OutputDrain(InputStream in, String name) {
        reader = new Thread(() -> copy(in), name);
        reader.setDaemon(true);
        reader.start();
    }

    private void copy(InputStream in) {
        byte[] buf = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buf)) >= 0; ) {
                synchronized (bytes) {
                    bytes.write(buf, 0, n);
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    String soFar() {
        synchronized (bytes) {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Everything, once the stream ended; waits at most {@code grace} for its end. */
    String all(Duration grace) throws InterruptedException, IOException {
        if (!reader.join(grace)) {
            throw new IOException(reader.getName() + " still open " + grace + " after the exit");
        }
        IOException f = failure;
        if (f != null) {
            throw f;
        }
        return soFar();
    }
}
