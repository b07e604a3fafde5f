package io.parallelix.node.crypto;

import static io.parallelix.node.crypto.KeyFilesTest.assertReason;
import static io.parallelix.node.crypto.SecretFileRulesTest.OTHER_UID;
import static io.parallelix.node.crypto.SecretFileRulesTest.assumeRoot;
import static io.parallelix.node.crypto.SecretFileRulesTest.refused;
import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.crypto.KeyException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PassphraseFilesTest {
    @TempDir
    Path dir;

    private Path passphrase(String text, String mode) throws Exception {
        Path file = Files.writeString(dir.resolve("key-passphrase"), text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void read_ownerOnly_dropsTrailingNewlines() throws Exception {
        assertThat(PassphraseFiles.read(passphrase("correct horse\r\n\n", "rw-------")))
                .containsExactly("correct horse".toCharArray());
        assertThat(PassphraseFiles.read(passphrase("s3cret", "r--------"))).containsExactly("s3cret".toCharArray());
    }

    @Test
    void read_readableByOthers_isRefusedWithTheFix() throws Exception {
        Path file = passphrase("correct horse\n", "rw-r--r--");
        refused(() -> PassphraseFiles.read(file))
                .hasMessage("Permissions 0644 for '" + file + "' are too open. It is required that passphrase files"
                        + " are NOT accessible by others (the group may read one that root owns). Fix: chmod 600 "
                        + file)
                .hasMessageNotContaining("correct horse");
    }

    @Test
    void read_groupReadableAndRootOwned_isAccepted() throws Exception {
        assumeRoot(); // files made by root are root's: a systemd credential (ACL) or Kubernetes secret (fsGroup)
        assertThat(PassphraseFiles.read(passphrase("s3cret\n", "r--r-----"))).containsExactly("s3cret".toCharArray());
    }

    @Test
    void read_groupReadableAndNotRootOwned_isRefused() throws Exception {
        assumeRoot();
        Path file = passphrase("s3cret\n", "rw-r-----");
        Files.setAttribute(file, "unix:uid", OTHER_UID);
        refused(() -> PassphraseFiles.read(file, new TrustedOwners(OTHER_UID, true)))
                .hasMessageStartingWith("Permissions 0640 for '" + file + "' are too open");
    }

    @Test
    void read_groupWritableEvenIfRootOwned_isRefused() throws Exception {
        Path file = passphrase("s3cret\n", "rw-rw----");
        refused(() -> PassphraseFiles.read(file)).hasMessageStartingWith("Permissions 0660");
    }

    @Test
    void read_0600ButOwnedByAnotherUser_isRefusedWithTheFix() throws Exception {
        Path file = passphrase("s3cret\n", "rw-------");
        refused(() -> PassphraseFiles.read(file, new TrustedOwners(OTHER_UID, false)))
                .hasMessageContaining("passphrase file '" + file + "' is owned by uid")
                .hasMessageContaining("Fix: chown 65534 " + file);
    }

    @Test
    void read_emptyOrMissing_isMalformedOrNotFound() throws Exception {
        assertReason(() -> PassphraseFiles.read(passphrase("\n", "rw-------")), Reason.MALFORMED);
        assertReason(() -> PassphraseFiles.read(dir.resolve("absent")), Reason.NOT_FOUND);
    }
}
