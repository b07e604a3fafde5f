package io.parallelix.node.crypto;

import io.parallelix.node.testing.RepoRoot;
import java.nio.file.Path;

/** The repository files these tests read: the PoE vectors and the reference coordinator. */
final class RepoFiles {
    private RepoFiles() {}

    static Path vectors() {
        return RepoRoot.resolve("docs/test-vectors/poe-v1.json");
    }

    static Path vectorsV2() {
        return RepoRoot.resolve("docs/test-vectors/poe-v2.json");
    }

    static Path verifyEnvelopeScript() {
        return RepoRoot.resolve("scripts/verify_envelope.py");
    }
}
