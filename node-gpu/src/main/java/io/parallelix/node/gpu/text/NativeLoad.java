package io.parallelix.node.gpu.text;

import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.nio.file.Path;
import java.util.Arrays;

/** {@code System.load} of the tokenizers library, and one call through DJL's JNI to prove it answers. */
final class NativeLoad {
    private NativeLoad() {}

    static void load(Path file) throws TokenizerException {
        try {
            System.load(file.toString());
        } catch (IllegalCallerException e) {
            throw new TokenizerException(
                    "the JVM refuses native access for " + file + " (" + e.getMessage()
                            + "). Fix: start it with --enable-native-access=ALL-UNNAMED (bin/pxnode does).",
                    e);
        } catch (UnsatisfiedLinkError e) {
            throw new TokenizerException(
                    "cannot load " + file + ": " + e.getMessage() + ". Fix: use the"
                            + " libtokenizers.so of this DJL version for this CPU; a directory on a noexec file"
                            + " system cannot hold it (the distribution ships lib/native/tokenizers/).",
                    e);
        }
    }

    static void smokeTest(Path file, String json) throws TokenizerException {
        TokenizersLibrary lib = TokenizersLibrary.LIB;
        try {
            long handle = lib.createTokenizerFromString(json);
            try {
                long encoding = lib.encode(handle, "a", false);
                long[] ids;
                try {
                    ids = lib.getTokenIds(encoding);
                } finally {
                    lib.deleteEncoding(encoding);
                }
                if (!Arrays.equals(ids, new long[] {0})) {
                    throw new TokenizerException(
                            file + " answered " + Arrays.toString(ids) + " for a one-word tokenizer, not [0]");
                }
            } finally {
                lib.deleteTokenizer(handle);
            }
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            throw new TokenizerException(
                    file + " is loaded but does not answer DJL's tokenizer calls (" + e
                            + "). Fix: use the libtokenizers.so from the same ai.djl.huggingface:tokenizers version.",
                    e);
        }
    }
}
