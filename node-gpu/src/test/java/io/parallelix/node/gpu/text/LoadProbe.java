package io.parallelix.node.gpu.text;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Run in a fresh JVM by {@link TokenizerLibraryTest} (the library and DJL's settings are
 * process-wide). Arguments {@code key=value}: {@code file} (given library, or absent to extract),
 * {@code dir} (extraction directory), {@code tokenizer} (a tokenizer.json to encode "hello world"
 * with), {@code second} (another library path to try loading afterwards). Prints {@code probe.*}
 * lines: what was loaded, which native files this process maps, DJL's properties.
 */
public final class LoadProbe {
    private static final List<String> PROPERTIES =
            List.of("RUST_LIBRARY_PATH", "ai.djl.offline", "OPT_OUT_TRACKING", "DJL_CACHE_DIR", "ENGINE_CACHE_DIR");

    private LoadProbe() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> arg = new HashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            arg.put(a.substring(0, eq), a.substring(eq + 1));
        }
        String given = arg.get("file");
        try {
            TokenizerLibrary library =
                    TokenizerLibrary.load(given == null ? null : Path.of(given), Path.of(arg.get("dir")));
            System.out.println("probe.describe=" + library.describe());
            System.out.println("probe.file=" + library.file());
            String tokenizer = arg.get("tokenizer");
            if (tokenizer != null) {
                try (Tokenizer t = Tokenizer.open(library, Path.of(tokenizer))) {
                    System.out.println("probe.ids=" + Arrays.toString(t.encode("hello world", true)));
                }
            }
            String second = arg.get("second");
            if (arg.containsKey("delete-first")) { // the loaded file goes (a test's temporary directory)
                Files.delete(library.file());
            }
            if (second != null) {
                try {
                    TokenizerLibrary.load(
                            second.equals("extract") ? null : Path.of(second),
                            Path.of(arg.getOrDefault("second-dir", arg.get("dir"))));
                    System.out.println("probe.second=loaded");
                } catch (TokenizerException e) {
                    System.out.println("probe.second=" + e.getMessage());
                }
            }
        } catch (TokenizerException e) {
            System.out.println("probe.error=" + e.getMessage());
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            int slash = line.indexOf('/');
            if (slash >= 0 && line.matches(".*(tokenizers|jnidispatch|cudart|libcuda).*")) {
                System.out.println("probe.mapped=" + line.substring(slash));
            }
        }
        for (String name : PROPERTIES) {
            System.out.println("probe.property." + name + "=" + System.getProperty(name));
        }
    }
}
