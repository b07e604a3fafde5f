package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.testing.Subprocess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The built distribution ({@code target/pxnode/bin/pxnode}, made by {@code package}) run as a real
 * process, for the integration tests (*IT, maven-failsafe). The child gets a clean environment: no
 * PXNODE_* variables of the build, HOME in the test's directory, a small JVM.
 */
public final class Distribution {
    static final String JAVA_OPTS =
            "-XX:+UseSerialGC -Xmx512m -XX:TieredStopAtLevel=1 -Dio.netty.leakDetectionLevel=paranoid";
    private static final Pattern SERVING = Pattern.compile("serving on http://127\\.0\\.0\\.1:(\\d+) node_id (\\w+)");

    private Distribution() {}

    public static Path launcher() {
        Path p = Path.of("target/pxnode/bin/pxnode").toAbsolutePath();
        assertThat(Files.isExecutable(p))
                .as(p + " is built by ./mvnw package (failsafe runs after it)")
                .isTrue();
        return p;
    }

    /** A node directory: a 2048-bit key, the given config lines after the common ones. */
    public static Path config(Path dir, String... more) throws Exception {
        Files.createDirectories(dir.resolve("models"));
        String yaml = String.join(
                "\n",
                "listen: \"127.0.0.1:0\"",
                "data_dir: \"" + dir + "\"",
                "key: {file: \"" + dir.resolve("node-key.pem") + "\", generate: false}",
                "engine: {models_dir: \"" + dir.resolve("models")
                        + "\", provider: cpu, default_model: false, intra_op_threads: 1}",
                String.join("\n", more),
                "");
        return Files.writeString(dir.resolve("node.yaml"), yaml);
    }

    public static NodeKey writeKey(Path dir) throws Exception {
        NodeKey key = TestNode.newKey();
        KeyFiles.writePrivateKey(dir.resolve("node-key.pem"), key, null);
        return key;
    }

    /**
     * {@code command} in {@code dir} with a clean environment: no PXNODE_* of the build, HOME in the
     * test's directory, a small fast-starting JVM, then {@code env}.
     */
    private static Subprocess clean(Path dir, List<String> command, Map<String, String> env) {
        return Subprocess.of(dir, command)
                .withoutEnv(k -> k.startsWith("PXNODE_") || k.equals("JAVA_TOOL_OPTIONS"))
                .withEnv(Map.of("HOME", dir.toString(), "PXNODE_JAVA_OPTS", JAVA_OPTS))
                .withEnv(env);
    }

    /** {@code pxnode ARGS...}, run to the end (at most {@code timeout}). */
    public static Subprocess.Result run(Path dir, List<String> args, Map<String, String> env, Duration timeout) {
        List<String> cmd = new ArrayList<>();
        cmd.add(launcher().toString());
        cmd.addAll(args);
        return clean(dir, cmd, env).withTimeout(timeout).run();
    }

    /** A serving node process; its stdout and stderr go to {@code log}. */
    public record Running(Process process, Path log, int port, String nodeId) implements AutoCloseable {
        public String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        public String url() {
            return "http://127.0.0.1:" + port;
        }

        /** SIGTERM (without closing anything of ours, unlike Process.destroy()), then the exit status. */
        public int terminate(Duration timeout) throws Exception {
            process.toHandle().destroy();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("pxnode did not exit within " + timeout + " of SIGTERM:\n" + output());
            }
            return process.exitValue();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Starts {@code serve --config CONFIG MORE...} and waits for its "serving on" line. */
    public static Running serve(Path dir, Path config, String logName, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(launcher().toString(), "serve", "--config", config.toString()));
        args.addAll(List.of(more));
        return start(dir, args, Map.of(), logName);
    }

    /**
     * Starts {@code command} (the launcher, or a script that ends in it) in {@code dir} with the
     * clean environment plus {@code env}, and waits (at most 180 s: a first build of
     * scripts/pxnode may be part of it) for its "serving on" line.
     */
    public static Running start(Path dir, List<String> command, Map<String, String> env, String logName)
            throws Exception {
        Path log = dir.resolve(logName);
        Process p = clean(dir, command, env)
                .processBuilder()
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        p.getOutputStream().close();
        long end = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (System.nanoTime() < end) {
            Matcher m = SERVING.matcher(Files.readString(log, StandardCharsets.UTF_8));
            if (m.find()) {
                return new Running(p, log, Integer.parseInt(m.group(1)), m.group(2));
            }
            if (!p.isAlive()) {
                throw new AssertionError("pxnode exited with " + p.exitValue() + ":\n" + Files.readString(log));
            }
            Thread.sleep(50);
        }
        p.destroyForcibly().waitFor();
        throw new AssertionError("pxnode did not start serving:\n" + Files.readString(log));
    }
}
