package io.parallelix.node.gpu;

import io.parallelix.node.gpu.text.Tokenizer;

/**
 * How many special tokens the tokenizer's post-processor puts before and after a text ([CLS] and
 * [SEP] for BERT, <s> for Llama), found by encoding one probe text with and without them, so that
 * truncation cuts the text and keeps them, as Hugging Face's truncation does. Unknown (the probe's
 * plain ids do not appear inside its full ones) means truncation is refused, never guessed.
 */
record SpecialTokens(int prefix, int suffix, boolean known) {
    private static final String PROBE = "a";

    static SpecialTokens of(Tokenizer tokenizer) {
        int[] full = tokenizer.encode(PROBE, true);
        int[] plain = tokenizer.encode(PROBE, false);
        for (int at = 0; at + plain.length <= full.length; at++) {
            if (java.util.Arrays.equals(full, at, at + plain.length, plain, 0, plain.length)) {
                return new SpecialTokens(at, full.length - at - plain.length, true);
            }
        }
        return new SpecialTokens(0, 0, false);
    }

    /** The first {@code max - prefix - suffix} text tokens between the special ones. */
    int[] truncate(String field, int[] ids, int max) throws InferenceException.InvalidInput {
        if (!known || max <= prefix + suffix) {
            throw new InferenceException.InvalidInput(
                    field, field + " is too long and this model's tokenizer does not say how to truncate it");
        }
        int[] out = new int[max];
        System.arraycopy(ids, 0, out, 0, max - suffix);
        System.arraycopy(ids, ids.length - suffix, out, max - suffix, suffix);
        return out;
    }
}
