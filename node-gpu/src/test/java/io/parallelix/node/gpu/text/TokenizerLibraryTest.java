package io.parallelix.node.gpu.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.testing.Subprocess;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Where the library comes from, what it touches. Each case runs {@link LoadProbe} in a fresh JVM
 * (one library per process, DJL's settings are JVM-wide) with its own user.home and temp dir, to
 * show nothing is written there and neither JNA nor the CUDA runtime is loaded.
 */
class TokenizerLibraryTest {
    private static final String RESOURCE = "native/lib/linux-x86_64/cpu/libtokenizers.so";

    @Test
    void load_noFileGiven_extractsIntoTheDirAndMapsOnlyThat() throws IOException {
        Fork fork = new Fork();
        Path dir = fork.root.resolve("state/tokenizers");
        List<String> out = fork.run(List.of("dir=" + dir, "tokenizer=" + TestTokenizers.file(TestTokenizers.MINILM)));
        Path extracted = dir.resolve("0.21.0-0.38.0-linux-x86_64/libtokenizers.so");
        assertThat(value(out, "error")).isNull();
        assertThat(value(out, "file")).isEqualTo(extracted.toString());
        assertThat(value(out, "describe")).isEqualTo("huggingface tokenizers 0.21.0 (djl 0.38.0) from " + extracted);
        assertThat(values(out, "mapped")).containsExactly(extracted.toString());
        assertThat(value(out, "ids")).isEqualTo("[101, 7592, 2088, 102]");
        assertThat(value(out, "property.RUST_LIBRARY_PATH")).isEqualTo(extracted.toString());
        assertThat(value(out, "property.ai.djl.offline")).isEqualTo("true");
        assertThat(value(out, "property.OPT_OUT_TRACKING")).isEqualTo("true");
        assertThat(value(out, "property.DJL_CACHE_DIR")).isEqualTo(dir.toString());
        assertThat(value(out, "property.ENGINE_CACHE_DIR")).isEqualTo(dir.toString());
        assertThat(Files.mismatch(extracted, fork.bundledCopy())).isEqualTo(-1L);
        fork.assertHomeAndTmpUntouched();
    }

    @Test
    void load_fileGiven_mapsThatFileAndExtractsNothing() throws IOException {
        Fork fork = new Fork();
        Path given = Files.createDirectories(fork.root.resolve("dist/lib/native/tokenizers"))
                .resolve("libtokenizers.so");
        Files.copy(fork.bundledCopy(), given);
        Path dir = fork.root.resolve("state/tokenizers");
        List<String> out = fork.run(
                List.of("file=" + given, "dir=" + dir, "tokenizer=" + TestTokenizers.file(TestTokenizers.LLAMA3)));
        assertThat(value(out, "error")).isNull();
        assertThat(values(out, "mapped")).containsExactly(given.toString());
        assertThat(value(out, "ids")).isEqualTo("[128000, 15339, 1917]");
        assertThat(value(out, "property.RUST_LIBRARY_PATH")).isEqualTo(given.toString());
        assertThat(dir).doesNotExist();
        fork.assertHomeAndTmpUntouched();
    }

    @Test
    void load_secondStart_keepsTheExtractedFileAndReplacesADamagedOne() throws IOException {
        Fork fork = new Fork();
        Path dir = fork.root.resolve("state");
        Path extracted = dir.resolve("0.21.0-0.38.0-linux-x86_64/libtokenizers.so");
        fork.run(List.of("dir=" + dir));
        Object inode =
                Files.readAttributes(extracted, BasicFileAttributes.class).fileKey();
        assertThat(value(fork.run(List.of("dir=" + dir)), "error")).isNull();
        assertThat(Files.readAttributes(extracted, BasicFileAttributes.class).fileKey())
                .isEqualTo(inode);

        Files.write(extracted, new byte[] {0x7f, 'E', 'L', 'F', 0});
        List<String> out = fork.run(List.of("dir=" + dir, "tokenizer=" + TestTokenizers.file(TestTokenizers.MINILM)));
        assertThat(value(out, "ids")).isEqualTo("[101, 7592, 2088, 102]");
        assertThat(Files.mismatch(extracted, fork.bundledCopy())).isEqualTo(-1L);
        try (Stream<Path> files = Files.list(extracted.getParent())) {
            assertThat(files).containsExactly(extracted); // no temporary file left behind
        }
    }

    @Test
    void load_anotherFileInTheSameProcess_isRefused() throws IOException {
        Fork fork = new Fork();
        Path other = Files.createDirectories(fork.root.resolve("other")).resolve("libtokenizers.so");
        Files.copy(fork.bundledCopy(), other);
        Files.write(other, new byte[] {0}, java.nio.file.StandardOpenOption.APPEND); // other bytes
        List<String> out = fork.run(List.of("dir=" + fork.root.resolve("state"), "second=" + other));
        assertThat(value(out, "second"))
                .contains("already loaded from")
                .contains("Fix: use one library path per process");
        assertThat(values(out, "mapped")).hasSize(1).doesNotContain(other.toString());
    }

    @Test
    void load_theSameBytesFromAnotherPath_isTheLoadedLibrary() throws IOException {
        Fork fork = new Fork();
        Path same = Files.createDirectories(fork.root.resolve("same")).resolve("libtokenizers.so");
        Files.copy(fork.bundledCopy(), same);
        List<String> out = fork.run(List.of("dir=" + fork.root.resolve("state"), "second=" + same));
        assertThat(value(out, "second")).isEqualTo("loaded");
        assertThat(values(out, "mapped")).hasSize(1).doesNotContain(same.toString());
    }

    @Test
    void load_extractedAgainElsewhereAfterTheLoadedFileWasDeleted_isTheLoadedLibrary() throws IOException {
        Fork fork = new Fork();
        List<String> out = fork.run(List.of(
                "dir=" + fork.root.resolve("first"),
                "delete-first=1",
                "second=extract",
                "second-dir=" + fork.root.resolve("second")));
        assertThat(value(out, "second")).isEqualTo("loaded");
        assertThat(values(out, "mapped")).hasSize(1);
    }

    @Test
    void load_notALibrary_failsWithTheFix() throws IOException {
        Fork fork = new Fork();
        Path bogus = Files.createDirectories(fork.root.resolve("bogus")).resolve("libtokenizers.so");
        Files.writeString(bogus, "not an ELF file");
        List<String> out = fork.run(List.of("file=" + bogus, "dir=" + fork.root.resolve("state")));
        assertThat(value(out, "error")).contains("cannot load " + bogus).contains("Fix:");
    }

    @Test
    void load_givenFileWithAnotherNameOrMissing_isRefusedBeforeLoading() {
        Path dir = TestTokenizers.scratch("names");
        assertThatThrownBy(() -> TokenizerLibrary.load(dir.resolve("tokenizers.so"), dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("must be a file named libtokenizers.so");
        assertThatThrownBy(() -> TokenizerLibrary.load(dir.resolve("libtokenizers.so"), dir))
                .isInstanceOf(TokenizerException.class)
                .hasMessageContaining("is not a readable file");
    }

    @Test
    void classPath_withoutJnaOrCommonsCompress_soDjlsLoaderCannotProbeOrDownload() {
        // node-gpu/pom.xml excludes them from DJL; everything above runs without them.
        assertThatThrownBy(() -> Class.forName("com.sun.jna.Native")).isInstanceOf(ClassNotFoundException.class);
        assertThatThrownBy(() -> Class.forName("org.apache.commons.compress.archivers.ArchiveStreamFactory"))
                .isInstanceOf(ClassNotFoundException.class);
    }

    @Test
    void load_sameFileAgainInProcess_returnsTheSameLibrary() {
        assertThat(TestTokenizers.library()).isSameAs(TestTokenizers.library());
    }

    @Test
    void load_withNativeAccessEnabled_printsNoRestrictedMethodWarning() throws IOException {
        Fork fork = new Fork();
        fork.run(List.of("dir=" + fork.root.resolve("state")));
        assertThat(fork.lastStderr).doesNotContain("restricted method");
    }

    @Test
    void load_nativeAccessDenied_failsNamingTheFlag() throws IOException {
        // --illegal-native-access exists from JDK 24, where native access is enforced; the build runs on 25.
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 24, "JDK 24+ only");
        Fork fork = new Fork();
        fork.nativeAccess = List.of("--illegal-native-access=deny");
        List<String> out = fork.run(List.of("dir=" + fork.root.resolve("state")));
        assertThat(value(out, "error")).contains("--enable-native-access=ALL-UNNAMED");
        assertThat(values(out, "mapped")).isEmpty();
    }

    private static String value(List<String> out, String key) {
        List<String> all = values(out, key);
        return all.isEmpty() ? null : all.getFirst();
    }

    private static List<String> values(List<String> out, String key) {
        String prefix = "probe." + key + "=";
        return out.stream()
                .filter(l -> l.startsWith(prefix))
                .map(l -> l.substring(prefix.length()))
                .distinct()
                .toList();
    }

    /** One fresh JVM per run, with its own home and temp directory. */
    private static final class Fork {
        final Path root;
        List<String> nativeAccess = List.of("--enable-native-access=ALL-UNNAMED");
        String lastStderr = "";

        Fork() throws IOException {
            root = Files.createTempDirectory(TestTokenizers.scratch("fork"), "run")
                    .toRealPath();
            Files.createDirectories(root.resolve("home"));
            Files.createDirectories(root.resolve("tmp"));
        }

        List<String> run(List<String> args) {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(nativeAccess);
            command.addAll(List.of(
                    "-XX:-UsePerfData",
                    "-Duser.home=" + root.resolve("home"),
                    "-Djava.io.tmpdir=" + root.resolve("tmp"),
                    "-cp",
                    System.getProperty("java.class.path"),
                    LoadProbe.class.getName()));
            command.addAll(args);
            Subprocess.Result result = Subprocess.of(root, command)
                    .withoutEnv(name -> name.startsWith("DJL_")
                            || name.equals("RUST_LIBRARY_PATH")
                            || name.equals("ENGINE_CACHE_DIR")
                            || name.equals("OPT_OUT_TRACKING")
                            || name.equals("XDG_CACHE_HOME")
                            || name.startsWith("JAVA_TOOL"))
                    .run()
                    .requireSuccess();
            lastStderr = result.stderr();
            return result.stdout().lines().toList();
        }

        Path bundledCopy() throws IOException {
            Path copy = root.resolve("bundled-libtokenizers.so");
            if (!Files.exists(copy)) {
                try (InputStream in = ai.djl.huggingface.tokenizers.jni.TokenizersLibrary.class
                        .getClassLoader()
                        .getResourceAsStream(RESOURCE)) {
                    assertThat(in).as(RESOURCE).isNotNull();
                    Files.copy(in, copy);
                }
            }
            return copy;
        }

        void assertHomeAndTmpUntouched() throws IOException {
            for (String d : List.of("home", "tmp")) {
                try (Stream<Path> files = Files.walk(root.resolve(d))) {
                    assertThat(files.skip(1)).as("written into " + d).isEmpty();
                }
            }
        }
    }
}
