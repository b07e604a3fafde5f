package io.parallelix.node.gpu.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * scripts/decoder_reference.py (Python + numpy, none of our code): greedy tokens and each step's
 * last-position logits, recomputed over the whole sequence without a cache. Fails, never skips,
 * when python3 or numpy is missing.
 */
public final class NumpyReference {
    /** One prompt's answer: the tokens and, per step, the logits that chose them. */
    @SuppressWarnings("ArrayRecordComponent") // test data holder
    public record Answer(int[] tokens, List<double[]> logits) {}

    private static final Path SCRIPT = RepoRoot.resolve("scripts/decoder_reference.py");

    private NumpyReference() {}

    public static List<Answer> greedy(Path modelDir, int steps, boolean kvFp16, List<int[]> prompts) {
        List<String> command =
                new ArrayList<>(List.of("python3", SCRIPT.toString(), modelDir.toString(), Integer.toString(steps)));
        for (int[] p : prompts) {
            command.add(Arrays.stream(p).mapToObj(Integer::toString).collect(Collectors.joining(",")));
        }
        if (kvFp16) {
            command.add("--kv-fp16");
        }
        String out = Subprocess.of(modelDir, command)
                .withTimeout(Duration.ofMinutes(2))
                .run()
                .requireSuccess()
                .stdout();
        try {
            List<Answer> answers = new ArrayList<>();
            for (JsonNode r : new ObjectMapper().readTree(out).path("results")) {
                int[] tokens = new int[r.path("tokens").size()];
                for (int i = 0; i < tokens.length; i++) {
                    tokens[i] = r.path("tokens").get(i).asInt();
                }
                List<double[]> logits = new ArrayList<>();
                for (JsonNode step : r.path("logits")) {
                    double[] row = new double[step.size()];
                    for (int i = 0; i < row.length; i++) {
                        row[i] = step.get(i).asDouble();
                    }
                    logits.add(row);
                }
                answers.add(new Answer(tokens, logits));
            }
            return answers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The largest |ours - reference| over one step's logits. */
    public static double maxDiff(float[] ours, double[] reference) {
        if (ours.length != reference.length) {
            throw new AssertionError("vocabulary " + ours.length + " vs the reference's " + reference.length);
        }
        double worst = 0;
        for (int i = 0; i < ours.length; i++) {
            worst = Math.max(worst, Math.abs(ours[i] - reference[i]));
        }
        return worst;
    }
}
