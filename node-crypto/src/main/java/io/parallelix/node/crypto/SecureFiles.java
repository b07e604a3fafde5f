package io.parallelix.node.crypto;

import io.parallelix.node.crypto.KeyException.Reason;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * Key files on disk: created with their final mode in the same system call (no window where
 * others can read a private key), never overwritten, and refused on read when a private key is
 * accessible by group or others (the rule OpenSSH applies), or when another user owns it or could
 * replace it (SecretFileRules, which also rules passphrase files).
 */
final class SecureFiles {
    static final String PRIVATE_MODE = "rw-------";
    static final String PUBLIC_MODE = "rw-r--r--";

    /** A PEM key is a few KiB; anything much larger is not a key file. */
    static final long MAX_KEY_FILE_BYTES = 64 * 1024;

    private SecureFiles() {}

    /** Creates {@code file} with {@code mode} (e.g. "rw-------"); ALREADY_EXISTS if anything is there. */
    static void create(Path file, byte[] content, String mode) throws KeyException {
        Set<PosixFilePermission> permissions = PosixFilePermissions.fromString(mode);
        boolean created = false;
        try (SeekableByteChannel channel = Files.newByteChannel(
                file,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(permissions))) {
            created = true;
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            if (channel instanceof java.nio.channels.FileChannel fileChannel) {
                fileChannel.force(true);
            }
        } catch (FileAlreadyExistsException e) {
            throw new KeyException(Reason.ALREADY_EXISTS, "'" + file + "' already exists; refusing to overwrite it");
        } catch (NoSuchFileException e) {
            throw new KeyException(Reason.NOT_FOUND, "cannot create '" + file + "': its directory does not exist");
        } catch (UnsupportedOperationException e) {
            throw new KeyException(
                    Reason.UNSUPPORTED, "cannot create '" + file + "' with mode " + mode + ": not a POSIX file system");
        } catch (IOException e) {
            if (created) {
                deleteQuietly(file); // a half-written key would block the retry with ALREADY_EXISTS
            }
            throw new KeyException(Reason.IO, "cannot write '" + file + "': " + e.getMessage(), e);
        }
    }

    /**
     * Reads a private key file, first refusing it when group or others have any access, when
     * another user owns it, or when a directory above it lets another user replace it.
     */
    static byte[] readPrivate(Path file, TrustedOwners owners) throws KeyException {
        Set<PosixFilePermission> permissions;
        try {
            permissions = Files.getPosixFilePermissions(file);
        } catch (NoSuchFileException e) {
            throw new KeyException(Reason.NOT_FOUND, "private key file '" + file + "' does not exist");
        } catch (UnsupportedOperationException e) {
            throw new KeyException(
                    Reason.UNSUPPORTED, "cannot check the permissions of '" + file + "': not a POSIX file system");
        } catch (IOException e) {
            throw new KeyException(Reason.IO, "cannot read '" + file + "': " + e.getMessage(), e);
        }
        if (!Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE)
                .containsAll(permissions)) {
            throw new KeyException(
                    Reason.INSECURE_PERMISSIONS,
                    "Permissions " + octal(permissions) + " for '" + file + "' are too open. It is required that"
                            + " your private key files are NOT accessible by others. Fix: chmod 600 "
                            + shellQuote(file.toString()));
        }
        SecretFileRules.requireTrustedOwner(
                file, SecretFileRules.stat(file, "private key file"), "private key file", owners);
        Path real = SecretFileRules.realPath(file);
        SecretFileRules.requireSafeDirectories(Objects.requireNonNull(real.getParent()), file, owners);
        return read(file, "a PEM key file");
    }

    /** Reads a passphrase file, first refusing it when others can read it or another user owns it. */
    static byte[] readPassphrase(Path file, TrustedOwners owners) throws KeyException {
        SecretFileRules.Stat stat = SecretFileRules.stat(file, "passphrase file");
        SecretFileRules.requirePassphraseMode(file, stat);
        SecretFileRules.requireTrustedOwner(file, stat, "passphrase file", owners);
        return read(file, "a passphrase file");
    }

    /** A public key file: anyone may read it. */
    static byte[] read(Path file) throws KeyException {
        return read(file, "a PEM key file");
    }

    private static byte[] read(Path file, String kind) throws KeyException {
        try {
            if (!Files.isRegularFile(file)) {
                throw new KeyException(
                        Files.exists(file) ? Reason.IO : Reason.NOT_FOUND,
                        Files.exists(file) ? "'" + file + "' is not a regular file" : "'" + file + "' does not exist");
            }
            if (Files.size(file) > MAX_KEY_FILE_BYTES) {
                throw new KeyException(Reason.MALFORMED, "'" + file + "' is too large to be " + kind);
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyException(Reason.NOT_FOUND, "'" + file + "' does not exist");
        } catch (IOException e) {
            throw new KeyException(Reason.IO, "cannot read '" + file + "': " + e.getMessage(), e);
        }
    }

    /** "0644" style. */
    static String octal(Set<PosixFilePermission> permissions) {
        PosixFilePermission[] order = {
            PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE,
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE
        };
        int mode = 0;
        for (int bit = 0; bit < order.length; bit++) {
            if (permissions.contains(order[bit])) {
                mode |= 0400 >> bit;
            }
        }
        return String.format("%04o", mode);
    }

    static String shellQuote(String path) {
        return path.matches("[A-Za-z0-9_./:@%+=,-]+") ? path : "'" + path.replace("'", "'\\''") + "'";
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the original error is the one to report
        }
    }
}
