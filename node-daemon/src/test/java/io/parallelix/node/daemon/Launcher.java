package io.parallelix.node.daemon;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The built distribution's bin/pxnode, run as a real process (integration tests, after package). */
public final class Launcher {
    private static final Pattern SERVING = Pattern.compile("serving on (http://\\S+) node_id ([0-9a-f]{64})");

    private Launcher() {}

    public static Path executable() {
        Path p = Path.of("target/pxnode/bin/pxnode").toAbsolutePath();
        if (!Files.isExecutable(p)) {
            throw new AssertionError(p + " is missing: integration tests run after `package`");
        }
        return p;
    }

    /** Runs a pxnode command to completion. */
    public static Tools.Result run(Path home, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(executable().toString());
        cmd.addAll(List.of(args));
        java.util.HashMap<String, String> e = new java.util.HashMap<>(env);
        e.put("HOME", home.toString());
        return Tools.run(home, cmd, 180, e, new byte[0]);
    }

    /** A running {@code serve} (or any long-running command): its output lines as they come. */
    public static final class Running implements AutoCloseable {
        public final Process process;
        public final String url;
        public final String nodeId;
        private final LinkedBlockingQueue<String> lines;
        private final Thread reader;
        private final List<String> all = java.util.Collections.synchronizedList(new ArrayList<>());

        private Running(Process process, String url, String nodeId, LinkedBlockingQueue<String> lines, Thread reader) {
            this.process = process;
            this.reader = reader;
            this.url = url;
            this.nodeId = nodeId;
            this.lines = lines;
        }

        /** Everything printed so far. */
        public String output() {
            lines.drainTo(all);
            return String.join("\n", all);
        }

        /** SIGTERM, then the exit code (waits up to {@code seconds}). */
        public int terminate(long seconds) throws InterruptedException {
            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of its output
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("pxnode did not exit within " + seconds + " s of SIGTERM:\n" + output());
            }
            reader.join(5_000); // the last lines
            return process.exitValue();
        }

        @Override
        public void close() {
            process.destroyForcibly();
        }
    }

    /** Starts {@code pxnode ARGS} (stdout and stderr merged) and waits for "serving on URL node_id ID". */
    public static Running start(Path cwd, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        List<String> seen = new ArrayList<>();
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        try {
            while (System.nanoTime() < end) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line == null) {
                    if (!p.isAlive() && lines.isEmpty()) {
                        break;
                    }
                    continue;
                }
                seen.add(line);
                Matcher m = SERVING.matcher(line);
                if (m.find()) {
                    Running running = new Running(p, m.group(1), m.group(2), lines, reader);
                    running.all.addAll(seen);
                    return running;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        p.destroyForcibly();
        throw new AssertionError("pxnode did not start serving:\n" + String.join("\n", seen));
    }
}
