package io.parallelix.node.gpu.text;

import ai.djl.huggingface.tokenizers.jni.TokenizersLibrary;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * One {@code tokenizer.json} in the Rust library, exactly as Hugging Face {@code tokenizers} runs
 * it, with truncation and padding switched off (DJL would truncate to 512 by default, and a
 * tokenizer.json may carry its own, MiniLM's pads and truncates to 128): the caller decides on
 * lengths. No Java-side text processing: DJL's {@code HuggingFaceTokenizer} is not used.
 *
 * <p>Thread-safe: encode and decode run concurrently (the Rust tokenizer is read-only once built);
 * {@link #close} waits for calls in flight. Callers bound the text's length (the request body).
 */
public final class Tokenizer implements AutoCloseable {
    static final int MAX_FILE_BYTES = 256 << 20;

    private static final TokenizersLibrary LIB = TokenizersLibrary.LIB;

    private final long handle;
    private final Vocabulary vocabulary;
    private final Path source;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private boolean closed; // written under the write lock, read under the read lock

    private Tokenizer(long handle, Vocabulary vocabulary, Path source) {
        this.handle = handle;
        this.vocabulary = vocabulary;
        this.source = source;
    }

    /** {@code library} is the proof that libtokenizers is loaded. */
    public static Tokenizer open(TokenizerLibrary library, Path tokenizerJson) throws TokenizerException {
        Objects.requireNonNull(library, "library");
        byte[] bytes = read(tokenizerJson);
        String json = utf8(bytes, tokenizerJson);
        Vocabulary vocabulary = Vocabulary.parse(bytes, tokenizerJson.toString());
        long handle;
        try {
            handle = LIB.createTokenizerFromString(json);
        } catch (RuntimeException e) {
            throw new TokenizerException(
                    tokenizerJson + " is not a tokenizer Hugging Face tokenizers can read: " + e.getMessage()
                            + ". Fix: use the tokenizer.json the model was exported with.",
                    e);
        }
        try {
            LIB.disableTruncation(handle);
            LIB.disablePadding(handle);
        } catch (RuntimeException e) {
            LIB.deleteTokenizer(handle);
            throw new TokenizerException("cannot switch off truncation and padding of " + tokenizerJson + ": " + e, e);
        }
        return new Tokenizer(handle, vocabulary, tokenizerJson);
    }

    /** The ids of {@code text}, all of them; special tokens written in the text are matched. */
    public int[] encode(String text, boolean addSpecialTokens) {
        TextChecks.requireWellFormed(text);
        lock.readLock().lock();
        try {
            requireOpen();
            long encoding;
            try {
                encoding = LIB.encode(handle, text, addSpecialTokens);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(
                        "the text cannot be tokenized with " + source + ": " + e.getMessage(), e);
            }
            try {
                return TextChecks.toInts(LIB.getTokenIds(encoding));
            } finally {
                LIB.deleteEncoding(encoding);
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** The text of {@code ids}; an id outside the vocabulary is an error (Rust would drop it silently). */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] wide = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (!vocabulary.contains(ids[i])) {
                throw new IllegalArgumentException("token id " + ids[i] + " at index " + i + " is not in the vocabulary"
                        + " of " + source + " (" + vocabulary.size() + " ids)");
            }
            wide[i] = ids[i];
        }
        lock.readLock().lock();
        try {
            requireOpen();
            return LIB.decode(handle, wide, skipSpecialTokens);
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Highest id + 1, added tokens included. */
    public int vocabSize() {
        return vocabulary.size();
    }

    /** The id of {@code token} (e.g. {@code "<|eot_id|>"}): added tokens first, then the model's vocabulary. */
    public OptionalInt tokenId(String token) {
        return vocabulary.id(token);
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                LIB.deleteTokenizer(handle);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "Tokenizer[" + source + "]";
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("tokenizer " + source + " is closed");
        }
    }

    private static byte[] read(Path file) throws TokenizerException {
        try {
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new TokenizerException(file + " has " + size + " bytes, more than the " + MAX_FILE_BYTES
                        + " a tokenizer.json may have here. Fix: check that it is the model's tokenizer.json.");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TokenizerException(
                    "cannot read " + file + ": " + e + ". Fix: put the model's tokenizer.json there.", e);
        }
    }

    private static String utf8(byte[] bytes, Path file) throws TokenizerException {
        try {
            return Utf8.decode(bytes);
        } catch (CharacterCodingException e) {
            throw new TokenizerException(file + " is not UTF-8 (" + e + "). Fix: use the model's tokenizer.json.", e);
        }
    }
}
