package io.parallelix.node.daemon.bench;

import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;

/**
 * Prepares a bench directory for scripts/bench.sh: {@code models/} (add, minilm), {@code
 * node-key.pem} (RSA-3072, shared by the HTTP node and the in-process loops) and one request body
 * per workload in {@code bodies/NAME.json}. Arguments: {@code --dir DIR --workloads add,minilm-16}.
 */
public final class BenchSetup {
    private BenchSetup() {}

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = BenchArgs.parse(argv);
        Path dir = Path.of(a.get("dir"));
        BenchRepository.write(dir.resolve("models"));
        Path key = dir.resolve("node-key.pem");
        if (!Files.exists(key)) {
            KeyFiles.writePrivateKey(key, NodeKey.generate(NodeKey.DEFAULT_BITS, new SecureRandom()), null);
        }
        Path bodies = Files.createDirectories(dir.resolve("bodies"));
        for (String name : BenchArgs.list(a, "workloads", "add,minilm-16,minilm-128")) {
            Files.write(bodies.resolve(name + ".json"), Workload.byName(name).json());
        }
    }
}
