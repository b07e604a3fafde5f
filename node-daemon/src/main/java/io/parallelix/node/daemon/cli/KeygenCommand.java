package io.parallelix.node.daemon.cli;

import io.parallelix.node.crypto.KeyException;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.PassphraseFiles;
import io.parallelix.node.daemon.config.ConfigException;
import io.parallelix.node.daemon.config.ConfigLoader;
import io.parallelix.node.daemon.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Creates a node key pair: private key 0600 (optionally encrypted), public key beside it. */
@Command(name = "keygen", mixinStandardHelpOptions = true, description = "Create a new node key pair.")
final class KeygenCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Private key file (default: the key serve uses: key.file, else data_dir/"
                    + NodeConfig.KEY_FILE_NAME + "; see serve --print-config). The public key goes to FILE with"
                    + " .pub.pem.")
    @Nullable
    Path out;

    @Option(
            names = "--bits",
            defaultValue = "3072",
            description = "RSA modulus size, >= 2048 (default: ${DEFAULT-VALUE}).")
    int bits;

    @Option(
            names = "--passphrase-file",
            paramLabel = "FILE",
            description =
                    "Encrypt the private key (PBES2, PBKDF2-HMAC-SHA256, AES-256-CBC) with the passphrase in FILE.")
    @Nullable
    Path passphraseFile;

    @Option(names = "--force", description = "Replace an existing key (its node_id is lost for good).")
    boolean force;

    KeygenCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws KeyException, IOException, ConfigException, ExitCodes.UsageException {
        if (bits < NodeKey.MIN_BITS) {
            throw new ExitCodes.UsageException("--bits must be at least " + NodeKey.MIN_BITS + ", got " + bits);
        }
        // The default is whatever serve would load, so PXNODE_DATA_DIR and PXNODE_KEY_FILE count here too.
        Path file = out != null
                ? out
                : new ConfigLoader(context.env(), context.home())
                        .load(null, Map.of())
                        .keyFile();
        Path pub = KeySetup.publicKeyFile(file);
        if (Files.exists(file) && !force) {
            throw new KeyException(
                    KeyException.Reason.ALREADY_EXISTS, file + " already exists; use --force to replace it");
        }
        char[] passphrase = passphraseFile == null ? null : PassphraseFiles.read(passphraseFile);
        try {
            NodeKey key = NodeKey.generate(bits, new SecureRandom());
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (force) {
                Files.deleteIfExists(file);
                Files.deleteIfExists(pub);
            }
            KeyFiles.writePrivateKey(file, key, passphrase);
            KeyFiles.writePublicKey(pub, key.publicKey());
            PrintWriter w = spec.commandLine().getOut();
            w.println("private key: " + file + (passphrase != null ? " (encrypted)" : ""));
            w.println("public key:  " + pub);
            w.println("node_id:     " + key.nodeId().hex());
            w.flush();
            return ExitCodes.OK;
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }
}
