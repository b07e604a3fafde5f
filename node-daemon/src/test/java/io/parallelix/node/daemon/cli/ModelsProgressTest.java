package io.parallelix.node.daemon.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.gpu.ByteProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ModelsProgressTest {
    @Test
    void plain_oneLinePerTenthAndTheEnd() {
        StringWriter err = new StringWriter();
        ByteProgress p = new ModelsProgress(new PrintWriter(err), false, 0).step("hashing add");
        for (long done = 0; done <= 1000; done += 5) {
            p.bytes(done, 1000);
        }
        p.bytes(1000, 1000); // after the end: nothing more
        assertThat(err.toString().lines().toList())
                .hasSize(11)
                .startsWith("hashing add: 0% (0 B of 1000 B)", "hashing add: 10% (100 B of 1000 B)")
                .endsWith("hashing add: 100% (1000 B of 1000 B)");
    }

    @Test
    void terminal_redrawsInPlaceAtMostOncePerPercent() {
        StringWriter err = new StringWriter();
        ByteProgress p = new ModelsProgress(new PrintWriter(err), true, 0).step("copying x");
        for (long done = 0; done <= 3L << 30; done += 1 << 20) {
            p.bytes(done, 3L << 30);
        }
        String out = err.toString();
        assertThat(out.chars().filter(c -> c == '\r').count()).isEqualTo(101);
        assertThat(out)
                .endsWith("\rcopying x [##############################] 100%  3.0 GiB of 3.0 GiB"
                        + System.lineSeparator());
    }

    @Test
    void smallSteps_printNothing() {
        StringWriter err = new StringWriter();
        ByteProgress p = new ModelsProgress(new PrintWriter(err), false, 1 << 20).step("hashing add");
        p.bytes(0, 100);
        p.bytes(100, 100);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void bar_format() {
        assertThat(ModelsProgress.bar(3L << 29, 4L << 30))
                .isEqualTo("[" + "#".repeat(11) + ".".repeat(19) + "]  37%  1.5 GiB of 4.0 GiB");
        assertThat(ModelsProgress.bar(0, 0)).isEqualTo("[##############################] 100%  0 B of 0 B");
    }
}
