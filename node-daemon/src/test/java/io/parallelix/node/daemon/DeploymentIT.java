package io.parallelix.node.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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
        String unit = Files.readString(Tools.repo().resolve("config/pxnode.service"))
                .replace("/opt/pxnode", dist().toString());
        Path file = Files.writeString(tmp.resolve("pxnode.service"), unit);
        Tools.Result r = Tools.run(tmp, List.of("systemd-analyze", "verify", file.toString()), 60);
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
        Path entry = Tools.repo().resolve("config/docker-entrypoint.sh");
        Map<String, String> env = Map.of("PXNODE_HOME", dist().toString(), "HOME", tmp.toString());
        Tools.Result version = Tools.run(tmp, List.of(entry.toString(), "--version"), 60, env, new byte[0]);
        assertThat(version.exit()).isZero();
        assertThat(version.stdout()).startsWith("pxnode ");
        // options alone mean "serve": the image's config, with the environment overriding it
        Tools.Result config = Tools.run(
                tmp,
                List.of(
                        entry.toString(),
                        "--config",
                        Tools.repo().resolve("config/node.docker.yaml").toString(),
                        "--print-config"),
                60,
                Map.of("PXNODE_HOME", dist().toString(), "HOME", tmp.toString(), "PXNODE_ENGINE_PROVIDER", "auto"),
                new byte[0]);
        assertThat(config.exit()).as(config.stderr()).isZero();
        assertThat(config.stdout()).contains("listen: \"0.0.0.0:8080\"").contains("provider: \"auto\"");
        Tools.Result missing =
                Tools.run(tmp, List.of(entry.toString()), 60, Map.of("PXNODE_HOME", tmp.toString()), new byte[0]);
        assertThat(missing.exit()).isEqualTo(2);
    }

    @Test
    void installScript_stagesTheTreeAndKeepsTheKeyOnReinstall() throws Exception {
        Path root = Files.createDirectories(Path.of("target/it-install").toAbsolutePath())
                .resolve("root-" + System.nanoTime());
        List<String> cmd = List.of(
                Tools.repo().resolve("scripts/install.sh").toString(),
                "--root",
                root.toString(),
                "--dist",
                dist().toString(),
                "--bits",
                "2048");
        Tools.Result first = Tools.run(tmp, cmd, 180, Map.of("HOME", tmp.toString()), new byte[0]);
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
        Tools.Result second = Tools.run(tmp, cmd, 180, Map.of("HOME", tmp.toString()), new byte[0]);
        assertThat(second.exit()).isZero();
        assertThat(second.stdout())
                .contains("kept the node key")
                .contains("kept " + root.resolve("etc/pxnode/node.yaml"));
        assertThat(Files.readString(key)).isEqualTo(keyBefore);
    }
}
