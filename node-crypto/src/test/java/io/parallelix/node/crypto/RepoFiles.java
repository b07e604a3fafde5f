package io.parallelix.node.crypto;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths in the repository (the build passes its root as pxnode.repo.root). */
final class RepoFiles {
    private RepoFiles() {}

    static Path root() {
        String configured = System.getProperty("pxnode.repo.root");
        Path root = configured != null
                ? Path.of(configured)
                : Path.of("").toAbsolutePath().getParent();
        root = root.toAbsolutePath().normalize();
        if (!Files.isRegularFile(root.resolve("mvnw"))) {
            throw new IllegalStateException("cannot find the repository root (tried " + root + ")");
        }
        return root;
    }

    static Path vectors() {
        return root().resolve("docs/test-vectors/poe-v1.json");
    }

    static Path verifyEnvelopeScript() {
        return root().resolve("scripts/verify_envelope.py");
    }
}
