package io.parallelix.node.gpu.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The independent reference: scripts/refs/tokenize_reference.mjs, the npm {@code tokenizers}
 * package (Hugging Face's Node binding of the same Rust code), run with {@code node} at test time.
 */
final class NpmTokenizers {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Result(int[] ids, int[] idsPlain, String decoded, String decodedSkip) {}

    record Answer(int vocabSize, List<Result> results, Map<String, Integer> tokenIds) {}

    private NpmTokenizers() {}

    static Answer run(Path tokenizerJson, List<String> texts, List<String> tokens) {
        TestTokenizers.refs("tokenizers/package.json");
        Path dir = TestTokenizers.scratch("npm-inputs");
        try {
            Path textsFile = Files.createTempFile(dir, "texts", ".json");
            Path tokensFile = Files.createTempFile(dir, "tokens", ".json");
            JSON.writeValue(textsFile.toFile(), texts);
            JSON.writeValue(tokensFile.toFile(), tokens);
            Subprocess.Result run;
            try {
                run = Subprocess.of(
                                RepoRoot.path(),
                                "node",
                                "scripts/refs/tokenize_reference.mjs",
                                tokenizerJson.toString(),
                                textsFile.toString(),
                                tokensFile.toString())
                        .withTimeout(Duration.ofSeconds(120))
                        .run()
                        .requireSuccess();
            } catch (AssertionError e) {
                throw new AssertionError(
                        "the npm reference failed; it needs node 20+ and scripts/refs.sh: " + e.getMessage(), e);
            }
            return parse(JSON.readTree(run.stdout()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer parse(JsonNode root) {
        List<Result> results = new ArrayList<>();
        for (JsonNode r : root.get("results")) {
            results.add(new Result(
                    ints(r.get("ids")),
                    ints(r.get("ids_plain")),
                    r.get("decoded").textValue(),
                    r.get("decoded_skip").textValue()));
        }
        Map<String, Integer> tokenIds = new HashMap<>();
        root.get("token_ids").properties().forEach(e -> {
            if (!e.getValue().isNull()) {
                tokenIds.put(e.getKey(), e.getValue().intValue());
            }
        });
        return new Answer(root.get("vocab_size").intValue(), results, tokenIds);
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).intValue();
        }
        return out;
    }
}
