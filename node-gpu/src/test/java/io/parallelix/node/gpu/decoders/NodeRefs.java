package io.parallelix.node.gpu.decoders;

import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A script of scripts/refs run by node, where the npm references resolve (installed by scripts/refs.sh). */
final class NodeRefs {
    private NodeRefs() {}

    static Subprocess node(String script, String... args) {
        Path refs = RepoRoot.resolve("scripts/refs");
        if (!Files.isDirectory(refs.resolve("node_modules"))) {
            throw new IllegalStateException("the npm references are not installed: run scripts/refs.sh");
        }
        List<String> command =
                new ArrayList<>(List.of("node", refs.resolve(script).toString()));
        command.addAll(List.of(args));
        return Subprocess.of(refs, command);
    }
}
