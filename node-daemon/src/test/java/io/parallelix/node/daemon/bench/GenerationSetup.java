package io.parallelix.node.daemon.bench;

import io.parallelix.node.gpu.testing.DecoderSpec;
import io.parallelix.node.gpu.testing.TestDecoders;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes the generation benchmark's model for {@code scripts/bench.sh generation}: node-gpu's
 * {@link TestDecoders#llamaBench} (Llama style, 8 layers, hidden 512, vocabulary 32,000, 56 M
 * random weights, 225 MB) into {@code <models>/<name>/}, unless a complete copy is already there
 * (special_tokens_map.json is the last file written). The same spec always writes the same bytes.
 * Arguments: {@code --models DIR [--name bench-llama]}.
 */
public final class GenerationSetup {
    private GenerationSetup() {}

    public static void main(String[] argv) throws IOException {
        Map<String, String> a = BenchArgs.parse(argv);
        Path models = Path.of(a.get("models"));
        DecoderSpec spec = TestDecoders.llamaBench(a.getOrDefault("name", "bench-llama"));
        Path dir = models.resolve(spec.name());
        if (Files.isRegularFile(dir.resolve("special_tokens_map.json"))) {
            System.out.println("generation model: " + dir + " (already written)");
            return;
        }
        if (Files.exists(dir)) {
            try (Stream<Path> old = Files.walk(dir)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        long t0 = System.nanoTime();
        TestDecoders.write(models, spec);
        System.out.printf(
                "generation model: %s, %,d weights, written in %.1f s%n",
                dir, spec.parameterCount(), (System.nanoTime() - t0) / 1e9);
    }
}
