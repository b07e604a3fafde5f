package io.parallelix.node.crypto;

import com.sun.security.auth.module.UnixSystem;
import io.parallelix.node.crypto.KeyException.Reason;

/**
 * The users who may own a secret file and the directories above it: the user this process runs as
 * and root (OpenSSH's rule; root can read everything anyway). A value, so that tests can stand in
 * for another user instead of changing file owners.
 */
record TrustedOwners(long processUid, boolean root) {
    static TrustedOwners ofThisProcess() throws KeyException {
        try {
            return new TrustedOwners(new UnixSystem().getUid(), true);
        } catch (LinkageError e) {
            throw new KeyException(
                    Reason.UNSUPPORTED, "cannot tell which user this process runs as: not a Unix system", e);
        }
    }

    boolean trusts(long uid) {
        return uid == processUid || (root && uid == 0);
    }
}
