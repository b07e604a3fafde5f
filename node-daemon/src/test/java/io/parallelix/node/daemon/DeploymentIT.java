package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator files against the built distribution: systemd unit, container entry point, installer. */
class DeploymentIT {
    @TempDir
    Path tmp;

    private static Path dist() {
        return Distribution.launcher().getParent().getParent();
    }

    @Test
    void systemdUnit_passesSystemdAnalyzeVerify() throws Exception {
        String unit =
                Files.readString(RepoRoot.resolve("config/pxnode.service")).replace("/opt/pxnode", dist().toString());
        Path file = Files.writeString(tmp.resolve("pxnode.service"), unit);
        Subprocess.Result r = Subprocess.of(tmp, List.of("systemd-analyze", "verify", file.toString()))
                .run();
        assertThat(r.exit()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout() + r.stderr()).as("no warnings either").isEmpty();
        assertThat(unit)
                .contains(
                        "User=pxnode",
                        "Restart=on-failure",
                        "NoNewPrivileges=yes",
                        "ProtectSystem=strict",
                        "ProtectHome=yes",
                        "PrivateTmp=yes",
                        "ReadWritePaths=/var/lib/pxnode",
                        "DeviceAllow=/dev/nvidiactl",
                        "TimeoutStopSec=40s",
                        "ExecStartPre=");
    }

    @Test
    void containerEntryPoint_runsTheDistribution() {
        Path entry = RepoRoot.resolve("config/docker-entrypoint.sh");
        Map<String, String> env = Map.of("PXNODE_HOME", dist().toString(), "HOME", tmp.toString());
        Subprocess.Result version = Subprocess.of(tmp, List.of(entry.toString(), "--version"))
                .withEnv(env)
                .run();
        assertThat(version.exit()).isZero();
        assertThat(version.stdout()).startsWith("pxnode ");
        // options alone mean "serve": the image's config, with the environment overriding it
        Subprocess.Result config = Subprocess.of(
                        tmp,
                        List.of(
                                entry.toString(),
                                "--config",
                                RepoRoot.resolve("config/node.docker.yaml").toString(),
                                "--print-config"))
                .withEnv(Map.of(
                        "PXNODE_HOME", dist().toString(), "HOME", tmp.toString(), "PXNODE_ENGINE_PROVIDER", "auto"))
                .run();
        assertThat(config.exit()).as(config.stderr()).isZero();
        assertThat(config.stdout()).contains("listen: \"0.0.0.0:8080\"").contains("provider: \"auto\"");
        Subprocess.Result missing = Subprocess.of(tmp, List.of(entry.toString()))
                .withEnv(Map.of("PXNODE_HOME", tmp.toString()))
                .run();
        assertThat(missing.exit()).isEqualTo(2);
    }

    @Test
    void installScript_stagesTheTreeAndKeepsTheKeyOnReinstall() throws Exception {
        Path root = Files.createDirectories(Path.of("target/it-install").toAbsolutePath())
                .resolve("root-" + System.nanoTime());
        List<String> cmd = List.of(
                RepoRoot.resolve("scripts/install.sh").toString(),
                "--root",
                root.toString(),
                "--dist",
                dist().toString(),
                "--bits",
                "2048");
        Subprocess.Result first = Subprocess.of(tmp, cmd)
                .withTimeout(Duration.ofSeconds(180))
                .withEnv(Map.of("HOME", tmp.toString()))
                .run();
        assertThat(first.exit()).as(first.stdout() + first.stderr()).isZero();
        Path key = root.resolve("var/lib/pxnode/node-key.pem");
        assertThat(root.resolve("opt/pxnode/bin/pxnode")).isExecutable();
        assertThat(root.resolve("etc/pxnode/node.yaml")).exists();
        assertThat(root.resolve("etc/systemd/system/pxnode.service")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(root.resolve("var/lib/pxnode"))))
                .isEqualTo("rwx------");
        String keyBefore = Files.readString(key);
        Subprocess.Result second = Subprocess.of(tmp, cmd)
                .withTimeout(Duration.ofSeconds(180))
                .withEnv(Map.of("HOME", tmp.toString()))
                .run();
        assertThat(second.exit()).isZero();
        assertThat(second.stdout())
                .contains("kept the node key")
                .contains("kept " + root.resolve("etc/pxnode/node.yaml"));
        assertThat(Files.readString(key)).isEqualTo(keyBefore);
    }
}
