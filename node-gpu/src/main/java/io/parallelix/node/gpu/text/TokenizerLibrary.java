package io.parallelix.node.gpu.text;

import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Proof that Hugging Face's {@code libtokenizers.so} is loaded into this process, and from where.
 *
 * <p>We load the file ourselves ({@code System.load}) and call DJL's JNI class
 * ({@link TokenizersLibrary}) directly. DJL's own loader ({@code LibUtils}) is never reached: before
 * it even reads {@code RUST_LIBRARY_PATH} it detects the platform, which loads JNA (unpacking
 * {@code libjnidispatch} into {@code ~/.cache/JNA}) and the host's {@code libcudart}, and on a CUDA
 * host without that property it would download a {@code cu122} build from DJL's server.
 */
public final class TokenizerLibrary {
    private static final Logger log = LoggerFactory.getLogger(TokenizerLibrary.class);

    // A tiny tokenizer that proves the loaded file answers DJL's JNI calls.
    private static final String SMOKE_JSON = "{\"version\":\"1.0\",\"model\":{\"type\":\"WordLevel\","
            + "\"vocab\":{\"a\":0,\"[UNK]\":1},\"unk_token\":\"[UNK]\"},\"pre_tokenizer\":{\"type\":\"Whitespace\"}}";

    // One library per process, by the JVM's design: JNI binds DJL's native methods to the first
    // file loaded, so a second, different file could never take effect. Hence this static state.
    private static final Object LOCK = new Object();
    private static @Nullable TokenizerLibrary loaded; // guarded by LOCK

    private final Path file;
    private final String version;
    /** The loaded bytes' digest: the file itself may be gone later (a test's temporary directory). */
    private final byte[] sha256;

    private TokenizerLibrary(Path file, String version, byte[] sha256) {
        this.sha256 = sha256;
        this.file = file;
        this.version = version;
    }

    /**
     * Loads libtokenizers once per process (idempotent for the same file, thread-safe): from
     * {@code nativeFile} when non-null (the distribution's {@code lib/native/tokenizers/libtokenizers.so}),
     * else extracted once from the DJL jar into {@code extractDir} (a node-owned directory, never
     * {@code ~/.djl.ai} or the temp dir; it must allow executable mappings, i.e. not noexec).
     */
    public static TokenizerLibrary load(@Nullable Path nativeFile, Path extractDir) throws TokenizerException {
        synchronized (LOCK) {
            ClassLoader djl = djlLoader();
            String version = BundledLibrary.version(djl);
            Path file;
            String resource = null;
            if (nativeFile != null) {
                file = given(nativeFile);
            } else {
                resource =
                        BundledLibrary.resource(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
                String platform = resource.split("/")[2];
                file = extractDir
                        .toAbsolutePath()
                        .normalize()
                        .resolve(version + "-" + platform)
                        .resolve(BundledLibrary.FILE_NAME);
            }
            TokenizerLibrary current = loaded;
            if (current != null) {
                if (current.file.equals(canonical(file)) || sameBytes(current.sha256, djl, resource, file)) {
                    return current; // the same library, from another path (e.g. two engines' dirs in one test JVM)
                }
                throw new TokenizerException("libtokenizers is already loaded from " + current.file
                        + " in this process; " + file + " cannot replace it (JNI binds the first one)."
                        + " Fix: use one library path per process.");
            }
            if (resource != null) {
                BundledLibrary.extract(djl, resource, file);
            }
            Path real = canonical(file);
            forceDjlSettings(real, extractDir);
            NativeLoad.load(real);
            NativeLoad.smokeTest(real, SMOKE_JSON);
            loaded = new TokenizerLibrary(real, version, fileSha256(real));
            log.info("tokenizers: {}", loaded.describe());
            return loaded;
        }
    }

    /** E.g. {@code huggingface tokenizers 0.21.0 (djl 0.38.0) from /opt/pxnode/lib/native/tokenizers/libtokenizers.so}. */
    public String describe() {
        int dash = version.indexOf('-');
        String tokenizers = dash < 0 ? version : version.substring(0, dash);
        String djl = dash < 0 ? "?" : version.substring(dash + 1);
        return "huggingface tokenizers " + tokenizers + " (djl " + djl + ") from " + file;
    }

    /** The loaded file, symbolic links resolved. */
    public Path file() {
        return file;
    }

    /**
     * DJL reads these process-wide JVM properties (by its design there is no per-instance
     * setting). We never reach DJL's loader or telemetry, but should anything in this process do
     * so, it finds our file, offline mode (no downloads), telemetry off (no probe of
     * 169.254.169.254) and our directory instead of {@code ~/.djl.ai}. Environment variables of
     * the same names would take precedence in DJL; the launcher sets none.
     */
    private static void forceDjlSettings(Path file, Path extractDir) {
        String dir = extractDir.toAbsolutePath().normalize().toString();
        System.setProperty("RUST_LIBRARY_PATH", file.toString());
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        System.setProperty("DJL_CACHE_DIR", dir);
        System.setProperty("ENGINE_CACHE_DIR", dir);
    }

    private static ClassLoader djlLoader() throws TokenizerException {
        // The class literal loads the class without initialising it; DJL runs none of its code here.
        ClassLoader djl = TokenizersLibrary.class.getClassLoader();
        if (djl != TokenizerLibrary.class.getClassLoader()) {
            throw new TokenizerException("DJL's tokenizers jar and node-gpu are in different class loaders;"
                    + " JNI would bind the library to ours, not DJL's. Fix: put both jars on one class path.");
        }
        return djl;
    }

    /** Whether the bytes asked for (the jar's copy, or the given file) are the loaded ones. */
    private static boolean sameBytes(byte[] loadedSha256, ClassLoader djl, @Nullable String resource, Path asked)
            throws TokenizerException {
        try {
            byte[] askedSha256 = resource != null ? BundledLibrary.sha256(djl, resource) : fileSha256(asked);
            return MessageDigest.isEqual(loadedSha256, askedSha256);
        } catch (TokenizerException e) {
            return false; // a file that cannot be read is not the loaded library
        } catch (IOException e) {
            throw new TokenizerException("cannot read the tokenizers library in DJL's jar: " + e.getMessage(), e);
        }
    }

    private static byte[] fileSha256(Path file) throws TokenizerException {
        try (InputStream in = Files.newInputStream(file)) {
            return BundledLibrary.sha256(in);
        } catch (IOException e) {
            throw new TokenizerException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path given(Path nativeFile) throws TokenizerException {
        Path name = nativeFile.getFileName();
        if (name == null || !name.toString().equals(BundledLibrary.FILE_NAME)) {
            throw new TokenizerException("tokenizers library " + nativeFile + " must be a file named "
                    + BundledLibrary.FILE_NAME + ". Fix: point pxnode.tokenizers.library at the"
                    + " distribution's lib/native/tokenizers/libtokenizers.so.");
        }
        if (!Files.isRegularFile(nativeFile) || !Files.isReadable(nativeFile)) {
            throw new TokenizerException("tokenizers library " + nativeFile + " is not a readable file."
                    + " Fix: reinstall the distribution (it ships lib/native/tokenizers/libtokenizers.so),"
                    + " or leave pxnode.tokenizers.library unset to extract the jar's copy.");
        }
        return nativeFile;
    }

    private static Path canonical(Path file) throws TokenizerException {
        try {
            return Files.exists(file)
                    ? file.toRealPath()
                    : file.toAbsolutePath().normalize();
        } catch (IOException e) {
            throw new TokenizerException("cannot resolve " + file + ": " + e.getMessage(), e);
        }
    }
}
