package io.parallelix.node.gpu;

import io.parallelix.node.gpu.text.Tokenizer;
import java.util.Arrays;

/**
 * Incremental detokenizing of one choice, as vLLM's detokenizer does it: the text of the newest
 * tokens is the difference between decoding a short window that ends before them and the same
 * window with them, so a tokenizer that strips a leading space or merges pieces (SentencePiece,
 * byte-level BPE) gives the same text as decoding the whole output at once. Text that ends in
 * U+FFFD (half a UTF-8 character) is held until the next token completes it; {@link #finish}
 * releases what is left. The window starts with the last prompt tokens, so the first generated
 * token keeps its leading space. Special tokens are skipped, as OpenAI-compatible servers do.
 */
final class Detokenizer {
    /** Prompt tokens kept as context for the first piece (vLLM keeps 5). */
    private static final int PROMPT_CONTEXT = 6;

    private final Tokenizer tokenizer;
    private int[] ids;
    private int size;
    private int prefixOffset;
    private int readOffset;

    Detokenizer(Tokenizer tokenizer, int[] prompt) {
        this.tokenizer = tokenizer;
        int keep = Math.min(PROMPT_CONTEXT, prompt.length);
        this.ids = Arrays.copyOfRange(prompt, prompt.length - keep, prompt.length + 64);
        this.size = keep;
        this.prefixOffset = 0;
        this.readOffset = keep;
    }

    /** The text {@code token} adds, possibly empty. */
    String next(int token) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[size++] = token;
        String prefix = decode(prefixOffset, readOffset);
        String full = decode(prefixOffset, size);
        if (full.length() > prefix.length() && !full.endsWith("\uFFFD")) {
            prefixOffset = readOffset;
            readOffset = size;
            return full.substring(common(prefix, full));
        }
        return "";
    }

    /** What is still held (an unfinished UTF-8 character decodes to U+FFFD here). */
    String finish() {
        String prefix = decode(prefixOffset, readOffset);
        String full = decode(prefixOffset, size);
        readOffset = size;
        prefixOffset = size;
        return full.substring(common(prefix, full));
    }

    /**
     * Where the new text starts: after the window's old text, or, where the old text ended in half a
     * character (U+FFFD) that the new token completes (a prompt cut inside an emoji), after what the
     * two share, so the completed character is not lost.
     */
    private static int common(String prefix, String full) {
        if (full.startsWith(prefix)) {
            return prefix.length();
        }
        int n = 0;
        while (n < prefix.length() && n < full.length() && prefix.charAt(n) == full.charAt(n)) {
            n++;
        }
        return Character.isLowSurrogate(full.charAt(Math.min(n, full.length() - 1))) && n > 0 ? n - 1 : n;
    }

    private String decode(int from, int to) {
        return from == to ? "" : tokenizer.decode(Arrays.copyOfRange(ids, from, to), true);
    }
}
