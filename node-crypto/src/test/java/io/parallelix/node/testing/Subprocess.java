package io.parallelix.node.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One external program (openssl, python3, the built launcher, wrk) run to its end with a bounded
 * wait, stdin given and stdout/stderr captured. Immutable: each {@code with...} returns a copy. A
 * program that cannot start fails the test with what to do, never skips it: these runs are the
 * independent evidence. Every failure is an {@link AssertionError} naming the command.
 */
public final class Subprocess {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
    /** How long the output may stay open after the exit (a child of the program may hold it). */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(10);

    public record Result(List<String> command, int exit, String stdout, String stderr) {
        public Result requireSuccess() {
            if (exit != 0) {
                throw new AssertionError(String.format(
                        "%s exited %d%nstdout: %s%nstderr: %s", String.join(" ", command), exit, stdout, stderr));
            }
            return this;
        }
    }

    private final List<String> command;
    private final Path dir;
    private final Duration timeout;
    private final Map<String, String> env;
    private final Predicate<String> unset;
    private final byte[] stdin;

    private Subprocess(
            List<String> command,
            Path dir,
            Duration timeout,
            Map<String, String> env,
            Predicate<String> unset,
            byte[] stdin) {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("no command");
        }
        this.command = List.copyOf(command);
        this.dir = dir;
        this.timeout = timeout;
        this.env = Map.copyOf(env);
        this.unset = unset;
        this.stdin = stdin.clone();
    }

    /** {@code command} in {@code dir}, the inherited environment, no stdin, {@link #DEFAULT_TIMEOUT}. */
    public static Subprocess of(Path dir, List<String> command) {
        return new Subprocess(command, dir, DEFAULT_TIMEOUT, Map.of(), name -> false, new byte[0]);
    }

    public static Subprocess of(Path dir, String... command) {
        return of(dir, List.of(command));
    }

    public Subprocess withTimeout(Duration timeout) {
        return new Subprocess(command, dir, timeout, env, unset, stdin);
    }

    /** These variables on top of the inherited environment (after {@link #withoutEnv}). */
    public Subprocess withEnv(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(more);
        return new Subprocess(command, dir, timeout, all, unset, stdin);
    }

    /** Drops the inherited variables whose names match, e.g. the build's own settings. */
    public Subprocess withoutEnv(Predicate<String> names) {
        return new Subprocess(command, dir, timeout, env, unset.or(names), stdin);
    }

    public Subprocess withStdin(byte[] bytes) {
        return new Subprocess(command, dir, timeout, env, unset, bytes);
    }

    /** The configured builder, for a program that keeps running (a server) instead of {@link #run}. */
    public ProcessBuilder processBuilder() {
        ProcessBuilder pb =
                new ProcessBuilder(command).directory(dir.toAbsolutePath().toFile());
        pb.environment().keySet().removeIf(unset);
        pb.environment().putAll(env);
        return pb;
    }

    public Result run() {
        Process process;
        try {
            process = processBuilder().start();
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot start " + command.get(0) + " (" + e.getMessage() + "): install it; CI does in .ci/run", e);
        }
        OutputDrain out = new OutputDrain(process.getInputStream(), "stdout of " + command.get(0));
        OutputDrain err = new OutputDrain(process.getErrorStream(), "stderr of " + command.get(0));
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // The program may exit without reading stdin; its exit status tells the story.
        }
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(OUTPUT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
                throw new AssertionError(line() + " did not finish within " + timeout + "\nstdout: " + out.soFar()
                        + "\nstderr: " + err.soFar());
            }
            return new Result(command, process.exitValue(), out.all(OUTPUT_GRACE), err.all(OUTPUT_GRACE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted while waiting for " + line(), e);
        } catch (IOException e) {
            throw new AssertionError("reading the output of " + line() + " failed", e);
        }
    }

    private String line() {
        return String.join(" ", command);
    }
}
