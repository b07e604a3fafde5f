package io.parallelix.node.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubprocessTest {
    @TempDir
    Path dir;

    @Test
    void run_exitingProgram_capturesExitStdoutAndStderrApart() {
        Subprocess.Result r =
                Subprocess.of(dir, "sh", "-c", "echo out; echo err >&2; exit 3").run();

        assertThat(r.command()).containsExactly("sh", "-c", "echo out; echo err >&2; exit 3");
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.stdout()).isEqualTo("out\n");
        assertThat(r.stderr()).isEqualTo("err\n");
    }

    @Test
    void run_withStdinAndInDir_feedsTheBytesAndRunsThere() {
        Subprocess.Result r = Subprocess.of(dir, "sh", "-c", "pwd; cat")
                .withStdin("line one\nline two\n".getBytes(StandardCharsets.UTF_8))
                .run()
                .requireSuccess();

        assertThat(r.stdout().lines().toList())
                .containsExactly(dir.toAbsolutePath().toString(), "line one", "line two");
    }

    @Test
    void run_withEnvAndWithoutEnv_setsAndDropsVariables() {
        Subprocess.Result r = Subprocess.of(dir, List.of("sh", "-c", "echo \"$PXNODE_A-${HOME:-none}\""))
                .withoutEnv(name -> name.equals("HOME"))
                .withEnv(Map.of("PXNODE_A", "x"))
                .run();

        assertThat(r.stdout()).isEqualTo("x-none\n");
    }

    @Test
    void run_pastItsTimeout_failsNamingTheCommandWithItsOutputSoFar() {
        Subprocess slow =
                Subprocess.of(dir, "sh", "-c", "echo started; exec sleep 30").withTimeout(Duration.ofMillis(500));

        long t0 = System.nanoTime();
        assertThatThrownBy(slow::run)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("sh -c echo started; exec sleep 30 did not finish within PT0.5S")
                .hasMessageContaining("stdout: started");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    void run_programThatIsNotInstalled_failsSayingSo() {
        assertThatThrownBy(() ->
                        Subprocess.of(dir, "pxnode-no-such-tool", "--version").run())
                .isInstanceOf(AssertionError.class)
                .hasMessageStartingWith("cannot start pxnode-no-such-tool (")
                .hasMessageContaining("install it");
    }

    @Test
    void requireSuccess_nonZeroExit_failsWithCommandAndOutput() {
        Subprocess.Result r =
                Subprocess.of(dir, "sh", "-c", "echo why >&2; exit 1").run();

        assertThatThrownBy(r::requireSuccess)
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("sh -c echo why >&2; exit 1 exited 1")
                .hasMessageContaining("stderr: why");
    }
}
