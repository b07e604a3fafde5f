package io.parallelix.node.daemon;

import io.parallelix.node.testing.RepoRoot;
import io.parallelix.node.testing.Subprocess;
import java.nio.file.Path;

/** The daemon tests' shared checks: the reference coordinator, pxnode's node_id line. */
public final class Tools {
    private Tools() {}

    /** The reference coordinator (scripts/verify_envelope.py) on an envelope, decoding its tensors. */
    public static Subprocess.Result verifyEnvelopeScript(Path envelope, Path publicKey) {
        return Subprocess.of(
                        RepoRoot.path(),
                        "python3",
                        "scripts/verify_envelope.py",
                        envelope.toString(),
                        "--public-key",
                        publicKey.toString(),
                        "--print-tensors")
                .run();
    }

    /** The node_id from pxnode's "node_id: ..." line (keygen, identity, serve). */
    public static String nodeIdLine(String stdout) {
        return stdout.lines()
                .filter(l -> l.startsWith("node_id:"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no node_id line in: " + stdout))
                .substring(8)
                .trim();
    }
}
