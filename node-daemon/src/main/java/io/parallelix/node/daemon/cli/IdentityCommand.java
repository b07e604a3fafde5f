package io.parallelix.node.daemon.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeId;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.daemon.protocol.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Prints node_id, public key and sig_alg for a key file, a public key, or a running node. */
@Command(
        name = "identity",
        mixinStandardHelpOptions = true,
        description = "Show a node's identity: node_id, public key (PEM) and sig_alg.")
final class IdentityCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @ArgGroup(exclusive = true)
    @Nullable
    Source source;

    static final class Source {
        @Option(names = "--key", paramLabel = "FILE", description = "A private key file (default: the configured key).")
        @Nullable
        Path key;

        @Option(names = "--public-key", paramLabel = "FILE", description = "A public key PEM file.")
        @Nullable
        Path publicKey;

        @Option(names = "--node", paramLabel = "URL", description = "A running node (its /v1/node document).")
        @Nullable
        String node;
    }

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    IdentityCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        Json wire = new Json(1 << 20);
        NodeConfig config = options.load(context);
        String sigAlg = config.key().sigAlg().wireName();
        RSAPublicKey key;
        if (source != null && source.node != null) {
            NodeDocuments.PublicIdentity id = NodeDocuments.fromNode(wire.mapper(), source.node);
            key = id.publicKey();
            sigAlg = id.sigAlg();
        } else if (source != null && source.publicKey != null) {
            key = NodeDocuments.fromPem(source.publicKey);
        } else {
            Path file = source != null && source.key != null ? source.key : config.keyFile();
            char[] passphrase = KeySetup.passphrase(config.key(), context);
            try {
                NodeKey nodeKey = KeyFiles.readPrivateKey(file, passphrase);
                key = nodeKey.publicKey();
            } finally {
                if (passphrase != null) {
                    Arrays.fill(passphrase, '\0');
                }
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        String nodeId = NodeId.of(key).hex();
        String pem = KeyFiles.publicKeyPem(key);
        if (json) {
            ObjectNode doc = wire.mapper().createObjectNode();
            doc.put("node_id", nodeId).put("public_key", pem).put("sig_alg", sigAlg);
            out.println(wire.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        } else {
            out.println("node_id: " + nodeId);
            out.println("sig_alg: " + sigAlg);
            out.print(pem);
        }
        out.flush();
        return ExitCodes.OK;
    }
}
