package io.parallelix.node.gpu.sampling;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/test-vectors/sampling-v1.json is what the Java sampler answers today, and
 * scripts/sampling_reference.py (Python + numpy, none of our code) reproduces every value in it.
 * Fails, rather than skips, when python3 or numpy is missing.
 */
class SamplingVectorsTest {
    private static final Path VECTORS = RepoRoot.resolve(SamplingVectorsGenerator.PATH);
    private static final Path SCRIPT = RepoRoot.resolve("scripts/sampling_reference.py");

    @TempDir
    Path dir;

    @Test
    void committedVectors_areExactlyWhatTheJavaSamplerProduces() throws Exception {
        assertThat(Files.readString(VECTORS, StandardCharsets.UTF_8))
                .as("regenerate with SamplingVectorsGenerator (see its comment) and review the diff")
                .isEqualTo(SamplingVectorsGenerator.render());
    }

    @Test
    void pythonReference_reproducesEveryVector() {
        Subprocess.Result python = reference(VECTORS);
        assertThat(python.exit()).as("%s%s", python.stdout(), python.stderr()).isZero();
        assertThat(python.stdout())
                .startsWith("ok: " + SamplingVectorCases.all().size() + " cases");
    }

    @Test
    void pythonReference_tamperedVectors_reportEachMismatch() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = (ObjectNode) mapper.readTree(VECTORS.toFile());
        ObjectNode flat = expectOf(root, "flat-1");
        flat.put("token", flat.get("token").asInt() + 1);
        ObjectNode big = expectOf(root, "v152k-top-p");
        big.put("target", big.get("target").asLong() - 1);
        ObjectNode lp = expectOf(root, "greedy-logprobs");
        lp.put("logprob", Math.nextUp(lp.get("logprob").asDouble()));
        Path tampered = dir.resolve("tampered.json");
        mapper.writeValue(tampered.toFile(), root);

        Subprocess.Result python = reference(tampered);

        assertThat(python.exit()).isEqualTo(1);
        assertThat(python.stdout())
                .contains("flat-1: token")
                .contains("v152k-top-p: target")
                .contains("greedy-logprobs: logprob");
    }

    @Test
    void vectors_coverWhatTheSpecPromises() {
        List<String> names = new ArrayList<>();
        SamplingVectorCases.all().forEach(c -> names.add(c.name()));
        assertThat(names)
                .contains(
                        "greedy-tie-lowest-id",
                        "greedy-tie-made-by-presence",
                        "t1-top-p-1",
                        "top-k-1-1",
                        "min-p-1",
                        "combined",
                        "repetition-1.3",
                        "frequency-repeated",
                        "presence-repeated",
                        "v152k-top-p",
                        "seed-0",
                        "seed-9223372036854775807",
                        "seed--1",
                        "t1-step-3",
                        "t1-choice-3",
                        "eos-is-a-token",
                        "t-tiny-tie-1",
                        "t-max-1");
        assertThat(SamplingVectorCases.all())
                .allSatisfy(c -> assertThat(c.covers()).isNotBlank());
    }

    private static ObjectNode expectOf(JsonNode root, String name) {
        for (JsonNode c : root.get("cases")) {
            if (c.get("name").asText().equals(name)) {
                return (ObjectNode) c.get("expect");
            }
        }
        throw new AssertionError("no case " + name);
    }

    private static Subprocess.Result reference(Path vectors) {
        assertThat(SCRIPT).exists();
        return Subprocess.of(RepoRoot.path(), "python3", SCRIPT.toString(), vectors.toString())
                .withTimeout(Duration.ofMinutes(2))
                .run();
    }
}
