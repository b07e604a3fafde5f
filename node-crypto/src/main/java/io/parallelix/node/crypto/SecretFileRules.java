package io.parallelix.node.crypto;

import io.parallelix.node.crypto.KeyException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Who may read or replace a secret file, checked before it is read. OpenSSH's rules, plus one
 * exception for passphrases:
 *
 * <ul>
 *   <li>The file belongs to this process's user or to root.
 *   <li>A private key allows no access to group or others (0600 or 0400; checked in SecureFiles).
 *   <li>A passphrase file allows none to others, and lets the group read only when root owns it:
 *       that is how systemd credentials (an ACL, shown as 0440) and Kubernetes secrets (fsGroup)
 *       hand a secret to a service user.
 *   <li>Every directory from the private key's real location up to / belongs to this user or root
 *       and is not writable by group or others, unless it is sticky like /tmp (there nobody can
 *       rename or delete a file they do not own): otherwise another user could swap the key. This
 *       is OpenSSH's safe_path.
 * </ul>
 */
final class SecretFileRules {
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int STICKY = 01000;

    private SecretFileRules() {}

    /** The mode bits (07777) and owner of a file or directory. */
    record Stat(int mode, long uid) {}

    static Stat stat(Path path, String what) throws KeyException {
        try {
            Map<String, Object> a = Files.readAttributes(path, "unix:mode,uid");
            int mode = (Integer) Objects.requireNonNull(a.get("mode"));
            int uid = (Integer) Objects.requireNonNull(a.get("uid"));
            return new Stat(mode & 07777, Integer.toUnsignedLong(uid));
        } catch (NoSuchFileException e) {
            throw new KeyException(Reason.NOT_FOUND, what + " '" + path + "' does not exist");
        } catch (UnsupportedOperationException | IllegalArgumentException e) {
            throw new KeyException(
                    Reason.UNSUPPORTED, "cannot check the owner of '" + path + "': not a Unix file system");
        } catch (IOException e) {
            throw new KeyException(Reason.IO, "cannot read '" + path + "': " + e.getMessage(), e);
        }
    }

    static void requireTrustedOwner(Path file, Stat stat, String what, TrustedOwners owners) throws KeyException {
        if (!owners.trusts(stat.uid())) {
            throw new KeyException(
                    Reason.INSECURE_PERMISSIONS,
                    what + " '" + file + "' is owned by uid " + stat.uid() + ", not by this process's user (uid "
                            + owners.processUid() + ") or root, so that user could replace it. Fix: chown "
                            + owners.processUid() + " " + SecureFiles.shellQuote(file.toString()));
        }
    }

    static void requirePassphraseMode(Path file, Stat stat) throws KeyException {
        int forbidden = stat.uid() == 0 ? 0037 : 0077;
        if ((stat.mode() & forbidden) != 0) {
            throw new KeyException(
                    Reason.INSECURE_PERMISSIONS,
                    "Permissions " + String.format("%04o", stat.mode() & 0777) + " for '" + file
                            + "' are too open. It is required that passphrase files are NOT accessible by others"
                            + " (the group may read one that root owns). Fix: chmod 600 "
                            + SecureFiles.shellQuote(file.toString()));
        }
    }

    /** {@code dir} (a real path: no symbolic links) and every directory above it, for {@code key}. */
    static void requireSafeDirectories(Path dir, Path key, TrustedOwners owners) throws KeyException {
        for (Path d = dir; d != null; d = d.getParent()) {
            Stat stat = stat(d, "directory");
            String where = "'" + d + "', a directory on the way to private key '" + key + "',";
            if (!owners.trusts(stat.uid())) {
                throw new KeyException(
                        Reason.INSECURE_PERMISSIONS,
                        where + " is owned by uid " + stat.uid() + ", not by this process's user (uid "
                                + owners.processUid() + ") or root, so that user could replace the key. Fix: chown "
                                + owners.processUid() + " " + SecureFiles.shellQuote(d.toString())
                                + ", or keep the key elsewhere");
            }
            if ((stat.mode() & GROUP_OR_OTHERS_WRITE) != 0 && (stat.mode() & STICKY) == 0) {
                throw new KeyException(
                        Reason.INSECURE_PERMISSIONS,
                        where + " is writable by group or others (mode " + String.format("%04o", stat.mode())
                                + "), so they could replace the key. Fix: chmod go-w "
                                + SecureFiles.shellQuote(d.toString()));
            }
        }
    }

    /** {@code path} with every symbolic link resolved: the directories that matter are the real ones. */
    static Path realPath(Path path) throws KeyException {
        try {
            return path.toRealPath();
        } catch (NoSuchFileException e) {
            throw new KeyException(Reason.NOT_FOUND, "'" + path + "' does not exist");
        } catch (IOException e) {
            throw new KeyException(Reason.IO, "cannot resolve '" + path + "': " + e.getMessage(), e);
        }
    }
}
