package io.parallelix.node.gpu;

import io.parallelix.node.gpu.sampling.SampledToken;
import io.parallelix.node.gpu.sampling.Sampler;
import io.parallelix.node.gpu.sampling.SamplingParams;
import io.parallelix.node.gpu.sampling.StopMatcher;
import io.parallelix.node.gpu.sampling.TokenHistory;
import io.parallelix.node.gpu.testing.TestDecoders;
import io.parallelix.node.gpu.text.Tokenizer;
import io.parallelix.node.gpu.text.TokenizerException;
import io.parallelix.node.gpu.text.TokenizerLibrary;
import io.parallelix.node.testing.RepoRoot;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * What the decode loop costs per token outside ONNX Runtime (Generator's work between two runs),
 * µs per token at the bench model's vocabulary of 32,000: sampling (greedy; temperature 0.8 +
 * top_p 0.95), incremental detokenizing ({@link Detokenizer}: two decodes of a short window per
 * token, on a real tokenizer.json), matching four stop strings, and all of it together as
 * Generator does per token (sample, append to the history, detokenize, stop matching, the token
 * record). {@code tokenizerDecode} is one native decode of a 2-token window, the unit the
 * detokenizer pays twice. The text is English (TEXT) encoded by the tokenizer, cycled; every
 * {@link #CHOICE} tokens the per-choice state starts again, as a new choice would. Tokenizers:
 * {@code bench-llama} is the byte-level BPE of TestDecoders.llamaBench (written into
 * node-gpu/target/generation-bench), {@code minilm} MiniLM's WordPiece. Run from the repository
 * root:
 * {@code java --enable-native-access=ALL-UNNAMED -cp <node-gpu test class path> org.openjdk.jmh.Main GenerationLoopBenchmark -f 1 -wi 2 -w 1s -i 3 -r 1s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class GenerationLoopBenchmark {
    static final int VOCAB = 32_000;
    static final int CHOICE = 256;
    static final String TEXT = "The node serves signed completions for a coordinator that checks every result with"
            + " its proof of execution. Each token is sampled from the logits of one forward pass, decoded into text"
            + " and matched against the stop strings before it is streamed to the client, which reads it as one"
            + " event of the stream. Prices, dates (2026-12-01) and names like Zürich or Kraków need more bytes.\n";
    static final List<String> STOPS = List.of("\n\n", "###", "User:", "</answer>");

    @Param({"bench-llama", "minilm"})
    public String tokenizer;

    private Tokenizer open;
    private int[] stream;
    private int at;
    private float[] logits;
    private int[] prompt;
    private Sampler greedy;
    private Sampler topP;
    private TokenHistory history;
    private Detokenizer detokenizer;
    private StopMatcher stops;
    private String[] pieces;
    private int step;
    private int[] window;

    @Setup
    public void setUp() throws IOException, TokenizerException {
        Path target = RepoRoot.resolve("node-gpu/target");
        TokenizerLibrary library = TokenizerLibrary.load(null, target.resolve("tokenizers-native"));
        open = Tokenizer.open(library, file(target.resolve("generation-bench")));
        stream = open.encode(TEXT.repeat(4), false);
        SplittableRandom random = new SplittableRandom(VOCAB);
        logits = new float[VOCAB];
        for (int i = 0; i < VOCAB; i++) {
            logits[i] = (float) (random.nextGaussian() * 3);
        }
        for (int i = 0; i < 8; i++) {
            logits[random.nextInt(VOCAB)] = 11 + i;
        }
        prompt = random.ints(128, 0, Math.min(VOCAB, open.vocabSize())).toArray();
        greedy = new Sampler(VOCAB, SamplingParams.defaults(7).withTemperature(0), 0);
        topP = new Sampler(
                VOCAB, SamplingParams.defaults(7).withTemperature(0.8).withTruncation(0, 0.95, 0), 0);
        pieces = new String[stream.length];
        Detokenizer d = new Detokenizer(open, new int[] {stream[0]});
        for (int i = 0; i < stream.length; i++) {
            pieces[i] = d.next(stream[i]);
        }
        window = new int[] {stream[1], stream[2]};
        fresh();
    }

    /** The state of a new choice: the prompt is the first tokens of the stream. */
    private void fresh() {
        history = new TokenHistory(VOCAB, prompt, CHOICE);
        detokenizer = new Detokenizer(open, new int[] {stream[0], stream[1], stream[2]});
        stops = new StopMatcher(STOPS);
        step = 0;
    }

    private int nextToken() {
        if (step == CHOICE) {
            fresh();
        }
        step++;
        at = (at + 1) % stream.length;
        return stream[at];
    }

    @TearDown
    public void tearDown() {
        open.close();
    }

    @Benchmark
    public SampledToken sampleGreedy() {
        if (step == CHOICE) {
            fresh();
        }
        SampledToken t = greedy.sample(logits, history, step++);
        history.append(t.token());
        return t;
    }

    @Benchmark
    public SampledToken sampleTemperatureTopP() {
        if (step == CHOICE) {
            fresh();
        }
        SampledToken t = topP.sample(logits, history, step++);
        history.append(t.token());
        return t;
    }

    @Benchmark
    public String tokenizerDecode() {
        return open.decode(window, true);
    }

    @Benchmark
    public String detokenize() {
        return detokenizer.next(nextToken());
    }

    @Benchmark
    public StopMatcher.Step stopMatch4() {
        nextToken();
        return stops.accept(pieces[at]); // TEXT holds none of STOPS
    }

    /** Generator's per-token work for a greedy choice, less the ORT run and the listener. */
    @Benchmark
    public GeneratedToken wholeLoopGreedy(Blackhole sink) {
        int token = nextToken();
        sink.consume(greedy.sample(logits, history, step - 1));
        history.append(token); // the stream's token, not the sampled one, so the text is real
        String piece = detokenizer.next(token);
        StopMatcher.Step s = stops.accept(piece);
        return new GeneratedToken(0, token, s.text(), null, null);
    }

    private Path file(Path dir) throws IOException {
        if (tokenizer.equals("minilm")) {
            Path file = Files.createDirectories(dir).resolve("minilm-tokenizer.json");
            try (InputStream in = Objects.requireNonNull(
                    GenerationLoopBenchmark.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json"), "MiniLM")) {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return file;
        }
        // llamaBench's tokenizer.json depends on the vocabulary size and the special tokens only, so
        // a tiny Llama with its vocabulary writes the same file without its 225 MB of weights.
        Path model = dir.resolve(tokenizer);
        if (!Files.isRegularFile(model.resolve("special_tokens_map.json"))) {
            TestDecoders.write(
                    dir,
                    TestDecoders.llama(tokenizer)
                            .withVocabSize(TestDecoders.llamaBench(tokenizer).vocabSize())
                            .withReferenceWeights(false));
        }
        return model.resolve("tokenizer.json");
    }
}
