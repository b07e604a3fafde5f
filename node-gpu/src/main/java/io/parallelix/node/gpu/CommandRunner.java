package io.parallelix.node.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Runs a probe command (nvidia-smi, ldconfig) with a bounded wait; an interface so tests fake it. */
interface CommandRunner {
    /** The command's stdout if it ran and exited 0 within the timeout; empty if absent, failed or slow. */
    Optional<String> run(List<String> command, Duration timeout);

    CommandRunner SYSTEM = (command, timeout) -> {
        Process process;
        try {
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
        } catch (IOException e) {
            return Optional.empty(); // not installed
        }
        // Read on another thread: a hung command that never closes stdout must not hang us.
        AtomicReference<String> out = new AtomicReference<>("");
        Thread reader = Thread.ofVirtual().start(() -> {
            try (InputStream in = process.getInputStream()) {
                out.set(new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.set("");
            }
        });
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            reader.join(Duration.ofSeconds(1));
            return process.exitValue() == 0 ? Optional.of(out.get()) : Optional.empty();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    };
}
