package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs an independent reference tool (openssl, python3) with a bounded wait. A missing tool fails the
 * test with what to install: these checks are the evidence, so they must never skip silently.
 */
final class ExternalTool {
    static final Duration TIMEOUT = Duration.ofSeconds(60);

    record Result(List<String> command, int exit, String stdout, String stderr) {
        Result requireSuccess() {
            if (exit != 0) {
                fail("%s exited %d%nstdout: %s%nstderr: %s", String.join(" ", command), exit, stdout, stderr);
            }
            return this;
        }
    }

    private ExternalTool() {}

    static Result run(Path dir, byte[] stdin, String... command) {
        List<String> cmd = List.of(command);
        Process process;
        try {
            process = new ProcessBuilder(cmd).directory(dir.toFile()).start();
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot start " + cmd.get(0) + " (" + e.getMessage() + "): install it; CI does in .ci/run"
                            + " (Debian: apt-get install openssl python3 python3-cryptography python3-numpy)",
                    e);
        }
        CompletableFuture<byte[]> out = drain(process.getInputStream());
        CompletableFuture<byte[]> err = drain(process.getErrorStream());
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The tool may exit without reading stdin; its exit status tells the story.
        }
        try {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + TIMEOUT);
            }
            return new Result(
                    cmd,
                    process.exitValue(),
                    new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8),
                    new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted", e);
        } catch (Exception e) {
            throw new AssertionError("reading the output of " + String.join(" ", cmd) + " failed", e);
        }
    }

    static Result run(Path dir, String... command) {
        return run(dir, new byte[0], command);
    }

    /** Fails with what to install unless openssl runs. */
    static void requireOpenssl(Path dir) {
        Result r = run(dir, "openssl", "version");
        if (r.exit() != 0 || !r.stdout().startsWith("OpenSSL 3")) {
            fail(
                    "openssl 3 is required by this test (found: %s %s); CI installs it in .ci/run",
                    r.stdout(), r.stderr());
        }
    }

    /** Fails with what to install unless python3 with pyca/cryptography and numpy runs. */
    static void requirePython(Path dir) {
        Result r = run(dir, "python3", "-c", "import cryptography, numpy; print(cryptography.__version__)");
        if (r.exit() != 0) {
            fail(
                    "python3 with pyca/cryptography and numpy is required by this test (%s); install them"
                            + " (Debian: apt-get install python3-cryptography python3-numpy; CI does in .ci/run)",
                    r.stderr().strip());
        }
    }

    static List<String> lines(String text) {
        return new ArrayList<>(text.lines().toList());
    }

    /** Its own thread per stream: a full stderr pipe must never block the stdout reader. */
    private static CompletableFuture<byte[]> drain(InputStream stream) {
        CompletableFuture<byte[]> bytes = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (stream) {
                bytes.complete(stream.readAllBytes());
            } catch (IOException e) {
                bytes.completeExceptionally(new UncheckedIOException(e));
            }
        });
        reader.setDaemon(true);
        reader.start();
        return bytes;
    }
}
