package io.parallelix.node.gpu.sampling;

import java.util.Arrays;

/**
 * One sequence's tokens as the penalties see them: the prompt, the generated tokens in order, and
 * for each distinct token whether it has occurred and how often it was generated, kept as tokens
 * are appended so a step costs O(distinct tokens), not O(history). Bounded by the capacity given at
 * construction. Not thread-safe: one per sequence, like its {@link Sampler}.
 */
public final class TokenHistory {
    private final int vocabSize;
    private final int promptLength;
    private final int[] generated;
    private int generatedLength;
    // distinct tokens in first-seen order, with an index token -> position: direct when the
    // sequence can reach a good part of the vocabulary, open addressing (load <= 1/2) otherwise
    private final int[] tokens;
    private final int[] generatedCounts;
    private int distinct;
    private final boolean direct;
    private final int[] slots;

    /** {@code prompt} ids in [0, vocabSize), room for {@code maxGenerated} more. */
    public TokenHistory(int vocabSize, int[] prompt, int maxGenerated) {
        if (vocabSize < 1 || vocabSize > Candidates.MAX_VOCAB) {
            throw new IllegalArgumentException(
                    "vocabulary size must be between 1 and " + Candidates.MAX_VOCAB + ", got " + vocabSize);
        }
        if (maxGenerated < 0 || maxGenerated > (1 << 24) || prompt.length > (1 << 24)) {
            throw new IllegalArgumentException("a sequence holds at most 2^24 prompt and 2^24 generated tokens, got "
                    + prompt.length + " and " + maxGenerated);
        }
        this.vocabSize = vocabSize;
        this.promptLength = prompt.length;
        this.generated = new int[maxGenerated];
        int capacity = Math.min(vocabSize, prompt.length + maxGenerated);
        this.tokens = new int[capacity];
        this.generatedCounts = new int[capacity];
        this.direct = capacity >= vocabSize / 4;
        this.slots = new int[direct ? vocabSize : Integer.highestOneBit(Math.max(1, capacity)) * 4];
        Arrays.fill(slots, -1);
        for (int i = 0; i < prompt.length; i++) {
            checkToken(prompt[i], "prompt[" + i + "]");
            positionOf(prompt[i]);
        }
    }

    /** Records a generated token. */
    public void append(int token) {
        checkToken(token, "generated token");
        if (generatedLength == generated.length) {
            throw new IllegalStateException(
                    "the sequence already holds its maximum of " + generated.length + " generated tokens");
        }
        generated[generatedLength++] = token;
        generatedCounts[positionOf(token)]++;
    }

    public int vocabSize() {
        return vocabSize;
    }

    public int promptLength() {
        return promptLength;
    }

    public int generatedLength() {
        return generatedLength;
    }

    /** A copy of the generated tokens, in order. */
    public int[] generated() {
        return Arrays.copyOf(generated, generatedLength);
    }

    int distinctCount() {
        return distinct;
    }

    int distinctToken(int index) {
        return tokens[index];
    }

    int generatedCount(int index) {
        return generatedCounts[index];
    }

    private int positionOf(int token) {
        int mask = slots.length - 1;
        int start = direct ? token : (token * 0x9E3779B1) >>> 8 & mask;
        for (int s = start; ; s = (s + 1) & mask) {
            int at = slots[s];
            if (at < 0) {
                tokens[distinct] = token;
                slots[s] = distinct;
                return distinct++;
            }
            if (tokens[at] == token) {
                return at;
            }
        }
    }

    private void checkToken(int token, String what) {
        if (token < 0 || token >= vocabSize) {
            throw new IllegalArgumentException(
                    what + " is " + token + ", outside the vocabulary [0, " + vocabSize + ")");
        }
    }
}
