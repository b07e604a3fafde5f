package io.parallelix.node.daemon.cli;

import io.parallelix.node.crypto.KeyException;
import io.parallelix.node.crypto.KeyFiles;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.PassphraseFiles;
import io.parallelix.node.daemon.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/** Finds the node's key as configured: loads it, or creates it when the config allows. */
final class KeySetup {
    private KeySetup() {}

    static NodeKey loadOrCreate(NodeConfig config, CliContext context, PrintWriter out) throws KeyException {
        Path file = config.keyFile();
        char[] passphrase = passphrase(config.key(), context);
        try {
            if (Files.exists(file)) {
                return KeyFiles.readPrivateKey(file, passphrase);
            }
            if (!config.key().generate()) {
                throw new KeyException(
                        KeyException.Reason.NOT_FOUND,
                        "no node key at " + file + "; create one with 'pxnode keygen --out " + file
                                + "' or set key.generate: true");
            }
            NodeKey key = NodeKey.generate(config.key().bits(), new SecureRandom());
            createPrivateDir(file.toAbsolutePath().getParent());
            KeyFiles.writePrivateKey(file, key, passphrase);
            KeyFiles.writePublicKey(publicKeyFile(file), key.publicKey());
            out.println("pxnode: generated a new " + key.bits() + "-bit node key at " + file);
            out.println("pxnode: node_id " + key.nodeId().hex());
            out.flush();
            return key;
        } finally {
            if (passphrase != null) {
                Arrays.fill(passphrase, '\0');
            }
        }
    }

    /** node-key.pem → node-key.pub.pem */
    static Path publicKeyFile(Path privateKey) {
        String name = privateKey.getFileName().toString();
        String base = name.endsWith(".pem") ? name.substring(0, name.length() - 4) : name;
        return privateKey.resolveSibling(base + ".pub.pem");
    }

    /**
     * From key.passphrase_file, or the systemd credential key.passphrase_credential; never the config
     * itself. PassphraseFiles refuses a file that others can read or another user owns.
     */
    static char @Nullable [] passphrase(NodeConfig.Key key, CliContext context) throws KeyException {
        Path source = key.passphraseFile();
        if (key.passphraseCredential() != null) {
            String dir = context.env().get("CREDENTIALS_DIRECTORY");
            if (dir == null) {
                throw new KeyException(
                        KeyException.Reason.NOT_FOUND,
                        "key.passphrase_credential is set but $CREDENTIALS_DIRECTORY is not (use LoadCredential= in"
                                + " the systemd unit)");
            }
            source = Path.of(dir, key.passphraseCredential());
        }
        return source == null ? null : PassphraseFiles.read(source);
    }

    private static void createPrivateDir(@Nullable Path dir) throws KeyException {
        if (dir == null || Files.isDirectory(dir)) {
            return;
        }
        try {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new KeyException(KeyException.Reason.IO, "cannot create " + dir + ": " + e.getMessage());
        }
    }
}
