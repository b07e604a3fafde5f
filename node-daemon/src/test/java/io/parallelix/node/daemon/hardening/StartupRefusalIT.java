package io.parallelix.node.daemon.hardening;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.parallelix.node.daemon.Distribution;
import io.parallelix.node.gpu.testing.TestModels;
import io.parallelix.node.testing.Subprocess;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real executable refuses to start, with one clear line on stderr (no stack trace unless
 * --verbose) and the exit code of the cause (cli/ExitCodes: 3 config, 4 key, 5 engine or model,
 * 6 I/O).
 */
@Timeout(120)
class StartupRefusalIT {
    private static final Pattern STACK_TRACE = Pattern.compile("(?m)^\\s+at |Exception in thread|^Caused by:");
    /** The node's log lines (config/logback.xml): they go to stderr too. */
    private static final Pattern LOG_LINE = Pattern.compile("^\\d{4}-\\d{2}-\\d{2}T\\d{2}:");

    @TempDir
    Path dir;

    /** serve with the node's config; returns stderr after checking the exit code and its one line. */
    private String refused(int exit, String fragment, String... args) throws Exception {
        List<String> all = new ArrayList<>(
                List.of("serve", "--config", dir.resolve("node.yaml").toString()));
        all.addAll(Arrays.asList(args));
        Subprocess.Result r = Distribution.run(dir, all, Map.of(), Duration.ofSeconds(90));
        String err = r.stderr();
        assertThat(r.exit()).as(err + r.stdout()).isEqualTo(exit);
        List<String> lines = err.lines().filter(l -> l.startsWith("pxnode: ")).toList();
        assertThat(lines).as(err).hasSize(1);
        assertThat(lines.get(0)).contains(fragment);
        assertThat(STACK_TRACE.matcher(err).find()).as(err).isFalse();
        assertThat(r.stdout()).doesNotContain("serving on");
        return err;
    }

    /** Exactly the one "pxnode: ..." line, besides the node's own timestamped log lines. */
    private void onlyLine(String stderr) {
        assertThat(stderr.lines().filter(l -> !LOG_LINE.matcher(l).find()).toList())
                .as(stderr)
                .hasSize(1);
    }

    private Path models() {
        return dir.resolve("models");
    }

    @Test
    void missingModelsDirectory_exit5() throws Exception {
        Distribution.writeKey(dir);
        Distribution.config(dir);
        Files.delete(models());
        onlyLine(refused(5, "does not exist"));
    }

    @Test
    void modelDirectoryWithoutModel_exit5() throws Exception {
        Distribution.writeKey(dir);
        Distribution.config(dir);
        Files.createDirectories(models().resolve("add"));
        onlyLine(refused(5, "has no model.onnx"));
    }

    /** Refused while the digest walks the graph, before ONNX Runtime sees the file. */
    @Test
    void corruptModel_exit5() throws Exception {
        Distribution.writeKey(dir);
        Distribution.config(dir);
        TestModels.writeCorrupt(models(), "add");
        onlyLine(refused(5, "not a valid ONNX protobuf"));
    }

    @Test
    void pinMismatch_exit5() throws Exception {
        Distribution.writeKey(dir);
        Distribution.config(dir);
        Path add = TestModels.writeAdd(models());
        TestModels.writeConfig(add, "sha256: \"" + "0".repeat(64) + "\"\n");
        onlyLine(refused(5, "pins " + "0".repeat(64)));
    }

    @Test
    void missingKey_exit4() throws Exception {
        Distribution.config(dir);
        TestModels.writeAdd(models());
        onlyLine(refused(4, "no node key at"));
    }

    @Test
    void keyReadableByOthers_exit4() throws Exception {
        Distribution.writeKey(dir);
        Distribution.config(dir);
        TestModels.writeAdd(models());
        Files.setPosixFilePermissions(dir.resolve("node-key.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        onlyLine(refused(4, "too open"));
    }

    @Test
    void wrongPassphrase_exit4() throws Exception {
        Path right = Files.writeString(dir.resolve("right.pass"), "correct horse\n");
        Path wrong = Files.writeString(dir.resolve("wrong.pass"), "battery staple\n");
        for (Path pass : List.of(right, wrong)) { // passphrase files readable by others are refused
            Files.setPosixFilePermissions(pass, PosixFilePermissions.fromString("rw-------"));
        }
        Subprocess.Result keygen = Distribution.run(
                dir,
                List.of(
                        "keygen",
                        "--bits",
                        "2048",
                        "--out",
                        dir.resolve("node-key.pem").toString(),
                        "--passphrase-file",
                        right.toString()),
                Map.of(),
                Duration.ofSeconds(60));
        assertThat(keygen.exit()).as(keygen.stderr()).isZero();
        assertThat(Files.readString(dir.resolve("node-key.pem"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        Distribution.config(dir);
        TestModels.writeAdd(models());
        Files.writeString(
                dir.resolve("node.yaml"),
                Files.readString(dir.resolve("node.yaml"))
                        .replace("generate: false}", "generate: false, passphrase_file: \"" + wrong + "\"}"));
        onlyLine(refused(4, "wrong passphrase"));
    }

    @Test
    void portInUse_exit6() throws Exception {
        Distribution.writeKey(dir);
        Distribution.config(dir);
        TestModels.writeAdd(models());
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String err = refused(6, "address already in use", "--listen", "127.0.0.1:" + taken.getLocalPort());
            onlyLine(err);
            assertThat(err)
                    .contains("is another node or program using the port?")
                    .doesNotContain("io.netty");
        }
    }

    @Test
    void cudaAskedForAndAbsent_exit5() throws Exception {
        assumeFalse(Files.exists(Path.of("/dev/nvidiactl")), "this host has an NVIDIA GPU");
        Distribution.writeKey(dir);
        Distribution.config(dir);
        TestModels.writeAdd(models());
        onlyLine(refused(5, "the CUDA execution provider cannot be loaded", "--provider", "cuda"));
    }

    @Test
    void invalidConfigValue_exit3() throws Exception {
        Distribution.writeKey(dir);
        Distribution.config(dir, "server: {read_timeout: soon}");
        TestModels.writeAdd(models());
        onlyLine(refused(3, "server.read_timeout"));
    }

    @Test
    void verbose_addsTheStackTrace() throws Exception {
        Distribution.config(dir);
        TestModels.writeAdd(models());
        Subprocess.Result r = Distribution.run(
                dir,
                List.of(
                        "serve",
                        "--verbose",
                        "--config",
                        dir.resolve("node.yaml").toString()),
                Map.of(),
                Duration.ofSeconds(60));
        assertThat(r.exit()).isEqualTo(4);
        assertThat(r.stderr()).startsWith("pxnode: no node key at");
        assertThat(STACK_TRACE.matcher(r.stderr()).find()).as(r.stderr()).isTrue();
    }
}
