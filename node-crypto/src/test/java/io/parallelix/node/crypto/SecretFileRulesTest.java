package io.parallelix.node.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.parallelix.node.crypto.KeyException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Who may own a private key and the directories above it (issue 12 item 8); the mode: KeyFilesTest. */
class SecretFileRulesTest {
    /** nobody: a user other than the one running the tests. */
    static final int OTHER_UID = 65534;

    @TempDir
    Path dir;

    private final NodeKey key = TestKeys.rsa2048();

    @Test
    void readPrivateKey_0600ButOwnedByAnotherUser_isRefusedWithTheFix() throws Exception {
        assumeRoot(); // only root can give a file away
        Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        Files.setAttribute(file, "unix:uid", OTHER_UID);
        refused(() -> KeyFiles.readPrivateKey(file, null))
                .hasMessageContaining("'" + file + "' is owned by uid 65534")
                .hasMessageContaining("Fix: chown 0 " + file);
    }

    @Test
    void readPrivateKey_ownerNotTrusted_isRefused() throws Exception {
        Path file = dir.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        TrustedOwners someoneElse = new TrustedOwners(OTHER_UID, false);
        refused(() -> KeyFiles.readPrivateKey(file, null, someoneElse))
                .hasMessageContaining("private key file '" + file + "' is owned by uid")
                .hasMessageContaining("Fix: chown 65534 " + file);
    }

    @Test
    void readPrivateKey_inADirectoryWritableByOthers_isRefusedWithTheFix() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        Path file = data.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
        refused(() -> KeyFiles.readPrivateKey(file, null))
                .hasMessageContaining("'" + data + "', a directory on the way to private key '" + file + "'")
                .hasMessageContaining("writable by group or others (mode 0777)")
                .hasMessageContaining("Fix: chmod go-w " + data);
    }

    @Test
    void readPrivateKey_groupWritableDirectoryFurtherUp_isRefused() throws Exception {
        Path shared = Files.createDirectory(dir.resolve("shared"));
        Path file = Files.createDirectory(shared.resolve("pxnode")).resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwx---"));
        refused(() -> KeyFiles.readPrivateKey(file, null)).hasMessageContaining("Fix: chmod go-w " + shared);
    }

    @Test
    void readPrivateKey_throughASymlink_checksTheDirectoriesItReallyIsIn() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Path file = open.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path link = Files.createSymbolicLink(
                Files.createDirectory(dir.resolve("safe")).resolve("node.key"), file);
        refused(() -> KeyFiles.readPrivateKey(link, null)).hasMessageContaining("Fix: chmod go-w " + open);
    }

    @Test
    void readPrivateKey_inAStickyWorldWritableDirectory_isAccepted() throws Exception {
        Path tmp = Files.createDirectory(dir.resolve("tmp"));
        Path file = tmp.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        Files.setAttribute(tmp, "unix:mode", 01777); // like /tmp: nobody can replace another's file
        assertThat(KeyFiles.readPrivateKey(file, null).nodeId()).isEqualTo(key.nodeId());
    }

    @Test
    void readPrivateKey_directoryOwnedByAnotherUser_isRefused() throws Exception {
        assumeRoot();
        Path theirs = Files.createDirectory(dir.resolve("theirs"));
        Path file = theirs.resolve("node.key");
        KeyFiles.writePrivateKey(file, key, null);
        Files.setAttribute(theirs, "unix:uid", OTHER_UID);
        refused(() -> KeyFiles.readPrivateKey(file, null))
                .hasMessageContaining("'" + theirs + "', a directory on the way to private key")
                .hasMessageContaining("is owned by uid 65534")
                .hasMessageContaining("Fix: chown 0 " + theirs);
    }

    @Test
    void writePrivateKey_intoADirectoryWritableByOthers_isRefusedAndWritesNothing() throws Exception {
        Path open = Files.createDirectory(dir.resolve("open"));
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path file = open.resolve("node.key");
        refused(() -> KeyFiles.writePrivateKey(file, key, null)).hasMessageContaining("Fix: chmod go-w " + open);
        assertThat(file).doesNotExist();
    }

    static AbstractThrowableAssert<?, ? extends Throwable> refused(ThrowingCallable call) {
        return assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        KeyException.class,
                        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(Reason.INSECURE_PERMISSIONS));
    }

    static void assumeRoot() throws KeyException {
        assumeTrue(TrustedOwners.ofThisProcess().processUid() == 0, "needs root to change a file's owner");
    }
}
