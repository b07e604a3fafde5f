package io.parallelix.node.gpu.text;

/** What the JNI boundary needs from a text and gives back as ids. */
final class TextChecks {
    private TextChecks() {}

    /**
     * An unpaired surrogate has no UTF-8 form; DJL's JNI would turn it into U+FFFD characters
     * without a word (the JNI string conversion falls back to a lossy decode), so it is refused.
     */
    static void requireWellFormed(String text) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < length && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            throw new IllegalArgumentException(String.format(
                    "the text has an unpaired surrogate U+%04X at UTF-16 index %d: it is not valid Unicode"
                            + " and has no UTF-8 form to tokenize",
                    (int) c, i));
        }
    }

    /** The library's ids fit 32 bits (vocabularies are checked to); anything else is a broken library. */
    static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            long id = ids[i];
            if (id < 0 || id > Integer.MAX_VALUE) {
                throw new IllegalStateException("the tokenizer library returned id " + id + " at index " + i);
            }
            out[i] = (int) id;
        }
        return out;
    }
}
