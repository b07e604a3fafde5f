package io.parallelix.node.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an external program (python3, openssl, the built launcher) with a bounded wait. */
public final class Tools {
    public record Result(int exit, String stdout, String stderr) {}

    private Tools() {}

    public static Result run(Path dir, List<String> command, long timeoutSeconds) {
        return run(dir, command, timeoutSeconds, java.util.Map.of(), new byte[0]);
    }

    public static Result run(
            Path dir, List<String> command, long timeoutSeconds, java.util.Map<String, String> env, byte[] stdin) {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot start " + command.get(0) + ": " + e.getMessage()
                            + " (CI installs the reference tools in .ci/run)",
                    e);
        }
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        try (var in = p.getOutputStream()) {
            in.write(stdin);
        } catch (IOException e) {
            // the program may exit without reading stdin
        }
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
        } catch (Exception e) {
            p.destroyForcibly();
            throw new AssertionError(e);
        }
    }

    /** The reference coordinator (scripts/verify_envelope.py) on an envelope, decoding its tensors. */
    public static Result verifyEnvelopeScript(Path envelope, Path publicKey) {
        return run(
                repo(),
                List.of(
                        "python3",
                        "scripts/verify_envelope.py",
                        envelope.toString(),
                        "--public-key",
                        publicKey.toString(),
                        "--print-tensors"),
                60);
    }

    /** The node_id from pxnode's "node_id: ..." line (keygen, identity, serve). */
    public static String nodeIdLine(String stdout) {
        return stdout.lines()
                .filter(l -> l.startsWith("node_id:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no node_id line in: " + stdout))
                .substring(8)
                .trim();
    }

    /** On a thread of its own: the common pool has one thread on a 2-core machine. */
    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> text = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                text.complete("");
            }
        });
        return text;
    }

    /** The repository root (tests run in node-daemon/). */
    public static Path repo() {
        return Path.of("..").toAbsolutePath().normalize();
    }
}
