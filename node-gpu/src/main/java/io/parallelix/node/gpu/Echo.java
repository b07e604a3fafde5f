package io.parallelix.node.gpu;

/** What a client sent, quoted back in an error message: clipped, so a 1 MB name is not a 1 MB answer. */
final class Echo {
    static final int MAX_CHARS = 64;

    private Echo() {}

    static String clip(String s) {
        if (s.length() <= MAX_CHARS) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(MAX_CHARS - 1)) ? MAX_CHARS - 1 : MAX_CHARS; // keep pairs whole
        return s.substring(0, end) + "...";
    }
}
