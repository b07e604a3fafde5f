package io.parallelix.node.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The tests' npm references (independent implementations: tokenizers, transformers.js, jinja,
 * openai), installed by scripts/refs.sh into scripts/refs/node_modules; the test command runs it.
 * Missing references fail the test that needs them, saying how to install them; they never skip.
 */
public final class NpmRefs {
    private NpmRefs() {}

    /** A file under scripts/refs/node_modules, e.g. "@huggingface/jinja/package.json". */
    public static Path file(String relative) {
        Path file = RepoRoot.resolve("scripts/refs/node_modules").resolve(relative);
        if (!Files.isRegularFile(file)) {
            throw new AssertionError(
                    file + " is missing: the npm references are not installed. Run scripts/refs.sh (Node 20+, npm).");
        }
        return file;
    }

    /** {@code node scripts/refs/<script> args...} in the repository root, once the references are there. */
    public static Subprocess node(String script, String... args) {
        file(".package-lock.json"); // npm writes it into node_modules on every install
        List<String> command = new ArrayList<>(List.of("node", "scripts/refs/" + script));
        command.addAll(List.of(args));
        return Subprocess.of(RepoRoot.path(), command);
    }
}
