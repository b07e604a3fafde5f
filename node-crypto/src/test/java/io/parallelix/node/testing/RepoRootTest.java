package io.parallelix.node.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepoRootTest {
    @TempDir
    Path dir;

    @Test
    void find_fromBelowTheRoot_isTheNearestDirectoryWithMvnw() throws Exception {
        Files.createFile(dir.resolve("mvnw"));
        Path module = Files.createDirectories(dir.resolve("node-x/target"));

        assertThat(RepoRoot.find(null, module)).isEqualTo(dir.toAbsolutePath().normalize());
        assertThat(RepoRoot.find(null, dir)).isEqualTo(dir.toAbsolutePath().normalize());
    }

    @Test
    void find_configured_winsOverTheWorkingDirectory() throws Exception {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.createFile(other.resolve("mvnw"));
        Files.createFile(dir.resolve("mvnw"));

        assertThat(RepoRoot.find(other.toString(), dir)).isEqualTo(other.toAbsolutePath());
    }

    @Test
    void find_configuredDirectoryWithoutMvnw_isRefused() {
        assertThatThrownBy(() -> RepoRoot.find(dir.toString(), dir))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pxnode.repo.root=" + dir);
    }

    @Test
    void path_inThisBuild_holdsTheScriptsTheTestsRun() {
        assertThat(RepoRoot.resolve("scripts/verify_envelope.py")).isRegularFile();
        assertThat(RepoRoot.resolve("node-crypto/pom.xml")).isRegularFile();
    }
}
