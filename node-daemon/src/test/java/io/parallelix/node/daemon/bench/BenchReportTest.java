package io.parallelix.node.daemon.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plots in docs/benchmarks/ are what scripts/bench/report.py makes of the raw bench outputs
 * committed beside them, byte for byte, and well-formed SVG; report.py still tabulates every
 * JMH file, the generation ones included; and its tables against the best limit take each ratio
 * from the right lines of the same repeat.
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

    @Test
    void bestLimitTables_pairTheRightLinesPerRepeat() throws Exception {
        List<String> lines = new ArrayList<>();
        // three repeats at c=8: the bench's own best-ort, best and ortnode lines are each repeat's
        // luckier candidate; the report uses, in every repeat, the candidate with the higher median
        // columns: best-ort@i1, @i2, best@i1, @i2, ortnode@i1, @i2, http, best-ort@i1 CPU, http CPU, wrk CPU
        double[][] perRepeat = {
            {200, 150, 160, 120, 250, 100, 80, 4000, 12000, 200},
            {210, 230, 170, 190, 260, 270, 114, 5000, 15000, 300},
            {220, 160, 180, 130, 240, 110, 72, 6000, 9000, 100}
        };
        for (int r = 1; r <= 3; r++) {
            double[] v = perRepeat[r - 1];
            lines.add(result("best-ort@i1", 8, r, v[0], v[7], Double.NaN));
            lines.add(result("best-ort@i2", 8, r, v[1], 99_999, Double.NaN)); // not chosen: its CPU is never used
            lines.add(result("best-ort", 8, r, Math.max(v[0], v[1]), v[0] > v[1] ? v[7] : 99_999, Double.NaN));
            lines.add(result("best@i1", 8, r, v[2], 1, Double.NaN));
            lines.add(result("best@i2", 8, r, v[3], 1, Double.NaN));
            lines.add(result("best", 8, r, Math.max(v[2], v[3]), 1, Double.NaN));
            lines.add(result("ortnode@i1", 8, r, v[4], 1, Double.NaN));
            lines.add(result("ortnode@i2", 8, r, v[5], 1, Double.NaN));
            lines.add(result("ortnode", 8, r, Math.max(v[4], v[5]), 1, Double.NaN));
            lines.add(result("http", 8, r, v[6], v[8], v[9]));
            lines.add(result("http", 1, r, 1000, 1, 1)); // another concurrency: not paired with c=8
            lines.add(result("sign", 1, r, 1000, 1000, Double.NaN));
            lines.add(result("sign", 8, r, 2000, 50, Double.NaN)); // signing's CPU is taken at c=1
        }
        Subprocess.Result r = report(lines);
        // chosen by median: best-ort i1 (210 against 160), best i1 (170 against 130: repeat 2's i2 at
        // 190 is not taken), ortnode i1 (250 against 110). HTTP ÷ best = 80/160, 114/170, 72/180;
        // HTTP ÷ ortnode = 80/250, 114/260, 72/240. CPU: http ÷ (best-ort i1 + sign) = 12000/5000,
        // 15000/6000, 9000/7000, with wrk (12000+200)/5000, (15000+300)/6000, (9000+100)/7000.
        assertThat(r.stdout())
                .contains("### Against the best limit\n")
                .contains("| minilm-16 | accp | 8 | 210 [200–220] | 170 [160–180] | 250 [240–260] | 80 [72–114]"
                        + " | 0.500 [0.400–0.671] | 0.320 [0.300–0.438] | i1 |")
                .contains("### CPU per request at c=8\n")
                .contains("| minilm-16 | accp | 12,000 | 200 | 5,000 | 1,000 | 6,000 | 2.40 [1.29–2.50]"
                        + " | 2.44 [1.30–2.55] |")
                .contains("### Throughput (requests/s) and the node ÷ limit ratios\n");
        assertThat(r.stdout().indexOf("### Against the best limit"))
                .as("the first table")
                .isLessThan(r.stdout().indexOf("### Throughput"));
    }

    @Test
    void floorTable_pairsFloorNodeAndLimitPerRepeat() throws Exception {
        List<String> lines = new ArrayList<>();
        // per repeat at c=1: best, floor, http req/s and p50 µs; floor and node CPU µs a request
        double[][] perRepeat = {
            {1000, 900, 850, 840, 980, 1040, 990, 1050},
            {1100, 950, 900, 830, 970, 1030, 980, 1060},
            {1200, 1000, 880, 850, 990, 1100, 960, 1070}
        };
        for (int r = 1; r <= 3; r++) {
            double[] v = perRepeat[r - 1];
            lines.add(withP50(result("best", 1, r, v[0], 1, Double.NaN), v[3]));
            lines.add(withP50(result("floor", 1, r, v[1], v[6], 20), v[4]));
            lines.add(withP50(result("http", 1, r, v[2], v[7], 20), v[5]));
        }
        Subprocess.Result r = report(lines);
        // floor ÷ best 0.9, 0.864, 0.833; HTTP ÷ floor 0.944, 0.947, 0.88; HTTP ÷ best 0.85, 0.818, 0.733;
        // beyond the limit: floor 140, 140, 140, HTTP 200, 200, 250
        assertThat(r.stdout())
                .contains("### The HTTP floor\n")
                .contains("| minilm-16 | accp | 1 | 1,100 [1,000–1,200] | 950 [900–1,000] | 880 [850–900]"
                        + " | 0.864 [0.833–0.900] | 0.944 [0.880–0.947] | 0.818 [0.733–0.850]"
                        + " | 840 | 980 | 1,040 | 140 [140–140] | 200 [200–250] | 980 | 1,060 |");
    }

    @Test
    void floorTable_absentWithoutFloorLines() throws Exception {
        Subprocess.Result r = report(List.of(result("http", 1, 1, 900, 1000, 20)));
        assertThat(r.stdout()).doesNotContain("### The HTTP floor");
    }

    /** report.py's tables for these RESULT lines. */
    private Subprocess.Result report(List<String> lines) throws Exception {
        Files.write(out.resolve("results.tsv"), lines);
        return Subprocess.of(RepoRoot.path(), "python3", "scripts/bench/report.py", out.toString())
                .run()
                .requireSuccess();
    }

    /** The line with its p50 (field 10 after RESULT) replaced. */
    private static String withP50(String line, double p50) {
        String[] f = line.split("\t", -1);
        f[10] = f(p50);
        return String.join("\t", f);
    }

    private static String result(String mode, int c, int repeat, double rps, double cpu, double wrkCpu) {
        return String.join(
                "\t",
                "RESULT",
                mode,
                "minilm-16",
                "accp",
                Integer.toString(c),
                Integer.toString(repeat),
                "100",
                "0",
                "1.0",
                f(rps),
                "10.0",
                "20.0",
                "30.0",
                "40.0",
                "15.0",
                f(cpu),
                f(wrkCpu),
                "0.0",
                "1000");
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
