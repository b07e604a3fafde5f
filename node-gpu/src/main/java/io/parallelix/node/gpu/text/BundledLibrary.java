package io.parallelix.node.gpu.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Properties;

/**
 * DJL's CPU build of {@code libtokenizers.so} inside its jar: which entry fits this machine, which
 * version it is, and its extraction into a node-owned directory (once: an identical file already
 * there is kept, so a second start writes nothing).
 */
final class BundledLibrary {
    static final String FILE_NAME = "libtokenizers.so";
    private static final String VERSION_RESOURCE = "native/lib/tokenizers.properties";
    private static final int CHUNK = 1 << 16;

    private BundledLibrary() {}

    /** The jar entry for this OS and CPU, e.g. {@code native/lib/linux-x86_64/cpu/libtokenizers.so}. */
    static String resource(String osName, String osArch) throws TokenizerException {
        String arch = switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            default -> "";
        };
        if (!osName.startsWith("Linux") || arch.isEmpty()) {
            throw new TokenizerException("no bundled libtokenizers for " + osName + "/" + osArch
                    + " (the node runs on Linux x86_64 or aarch64). Fix: give the library's path"
                    + " (-Dpxnode.tokenizers.library=<libtokenizers.so>).");
        }
        return "native/lib/linux-" + arch + "/cpu/" + FILE_NAME;
    }

    /** DJL's {@code <tokenizers version>-<djl version>}, e.g. {@code 0.21.0-0.38.0}. */
    static String version(ClassLoader loader) throws TokenizerException {
        try (InputStream in = loader.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                throw new TokenizerException(VERSION_RESOURCE + " is not on the class path: the jar"
                        + " ai.djl.huggingface:tokenizers is missing. Fix: reinstall the distribution.");
            }
            Properties properties = new Properties();
            properties.load(in);
            String version = properties.getProperty("version", "");
            if (!version.matches("[0-9][0-9A-Za-z.+_-]*")) {
                throw new TokenizerException(VERSION_RESOURCE + " has no usable version ('" + version + "')");
            }
            return version;
        } catch (IOException e) {
            throw new TokenizerException("cannot read " + VERSION_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /** Copies {@code resource} to {@code target} unless an identical file is already there. */
    static void extract(ClassLoader loader, String resource, Path target) throws TokenizerException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            if (Files.isRegularFile(target) && sameContent(loader, resource, target)) {
                return;
            }
            // A temporary file and a rename: a concurrent start, or a node that has the old file
            // mapped, never sees a half-written library.
            Path tmp = Files.createTempFile(dir, ".libtokenizers-", ".tmp");
            try {
                try (InputStream in = open(loader, resource)) {
                    Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new TokenizerException(
                    "cannot extract " + resource + " into " + dir + ": " + e
                            + ". Fix: make that directory writable by the node, or give the unpacked library's"
                            + " path (-Dpxnode.tokenizers.library; bin/pxnode passes lib/native/tokenizers).",
                    e);
        }
    }

    private static boolean sameContent(ClassLoader loader, String resource, Path file) throws IOException {
        try (InputStream a = open(loader, resource);
                InputStream b = Files.newInputStream(file)) {
            while (true) {
                byte[] x = a.readNBytes(CHUNK);
                byte[] y = b.readNBytes(CHUNK);
                if (!Arrays.equals(x, y)) {
                    return false;
                }
                if (x.length == 0) {
                    return true;
                }
            }
        }
    }

    /** SHA-256 of the jar's copy of the library. */
    static byte[] sha256(ClassLoader loader, String resource) throws IOException {
        try (InputStream in = open(loader, resource)) {
            return sha256(in);
        }
    }

    static byte[] sha256(InputStream in) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buffer = new byte[CHUNK];
        for (int n; (n = in.read(buffer)) > 0; ) {
            sha.update(buffer, 0, n);
        }
        return sha.digest();
    }

    private static InputStream open(ClassLoader loader, String resource) throws IOException {
        InputStream in = loader.getResourceAsStream(resource);
        if (in == null) {
            throw new IOException(resource + " is not in the ai.djl.huggingface:tokenizers jar");
        }
        return in;
    }
}
