package io.parallelix.node.daemon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plots in docs/benchmarks/ are what scripts/bench/report.py makes of the raw bench outputs
 * committed beside them, byte for byte, and well-formed SVG; and report.py still tabulates every
 * JMH file, the generation ones included.
 */
class BenchReportTest {
    private static final Path DATA = RepoRoot.resolve("docs/benchmarks");
    private static final List<String> PLOTS = List.of("node-vs-limit.svg", "generation-vs-context.svg");

    @TempDir
    Path out;

    @Test
    void plots_fromTheCommittedOutputs_areTheCommittedSvgs() throws Exception {
        Subprocess.of(RepoRoot.path(), "python3", "scripts/bench/report.py", "--plots", out.toString(), DATA.toString())
                .run()
                .requireSuccess();
        for (String plot : PLOTS) {
            Path made = out.resolve(plot);
            assertThat(made).as(plot).exists();
            DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(made.toFile()); // throws unless XML
            assertThat(Files.readString(made))
                    .as("%s: run the command in docs/benchmarks.md (Plots) and commit the result", plot)
                    .isEqualTo(Files.readString(DATA.resolve(plot)));
        }
    }

    @Test
    void jmhTables_includeTheGenerationFiles() throws Exception {
        String json = """
                [{"benchmark":"io.parallelix.node.gpu.GenerationLoopBenchmark.sampleGreedy",
                  "params":{"tokenizer":"bench-llama"},
                  "primaryMetric":{"score":28.9,"scoreError":47.9,"scoreUnit":"us/op"}}]""";
        Files.writeString(out.resolve("jmh-generation.json"), json);
        Files.writeString(out.resolve("jmh-generation-chunk.json"), json.replace("sampleGreedy", "tokenEvent"));
        Subprocess.Result r = Subprocess.of(
                        RepoRoot.path(), "python3", "scripts/bench/report.py", "--jmh", out.toString())
                .run()
                .requireSuccess();
        assertThat(r.stdout())
                .contains("### JMH: generation\n")
                .contains("### JMH: generation-chunk\n")
                .contains("| sampleGreedy | tokenizer=bench-llama | us/op | 28.90 | 47.90 |")
                .contains("| tokenEvent |");
    }
}
