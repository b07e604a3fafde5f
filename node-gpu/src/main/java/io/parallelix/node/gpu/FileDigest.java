package io.parallelix.node.gpu;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.function.LongConsumer;

/** SHA-256 in lower-case hex, streamed so a multi-gigabyte model never sits in the heap. */
final class FileDigest {
    private FileDigest() {}

    static String sha256(Path file) throws IOException {
        return sha256(file, n -> {});
    }

    /** As {@link #sha256(Path)}, telling {@code read} the bytes read so far after every buffer. */
    static String sha256(Path file, LongConsumer read) throws IOException {
        MessageDigest digest = newSha256();
        byte[] buffer = new byte[1 << 20];
        long total = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
                total += n;
                read.accept(total);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
