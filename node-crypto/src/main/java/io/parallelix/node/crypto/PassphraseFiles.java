package io.parallelix.node.crypto;

import io.parallelix.node.crypto.KeyException.Reason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * A private key's passphrase from a file (a passphrase file, a systemd credential): UTF-8, trailing
 * CR/LF dropped. Refused when others can read the file, the group can and root does not own it, or
 * neither this process's user nor root owns it; the message says the fix. The caller clears the
 * returned array; the bytes read are zeroed here.
 */
public final class PassphraseFiles {
    private PassphraseFiles() {}

    public static char[] read(Path file) throws KeyException {
        return read(file, TrustedOwners.ofThisProcess());
    }

    static char[] read(Path file, TrustedOwners owners) throws KeyException {
        byte[] bytes = SecureFiles.readPassphrase(file, owners);
        try {
            int end = bytes.length;
            while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r')) {
                end--;
            }
            CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(bytes, 0, end));
            char[] exact = new char[chars.remaining()];
            chars.get(exact);
            Arrays.fill(chars.array(), '\0');
            if (exact.length == 0) {
                throw new KeyException(Reason.MALFORMED, "passphrase file " + file + " is empty");
            }
            return exact;
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
