package io.parallelix.node.crypto;

/**
 * Makes untrusted text safe to put in a message or a log line: printable ASCII only, bounded in
 * length. Received values (sig_alg, node_id hex) go through here before they are echoed.
 */
final class Printable {
    static final int MAX = 40;

    private Printable() {}

    static String truncate(String untrusted) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < untrusted.length(); i++) {
            if (out.length() >= MAX) {
                return out.append("...").toString();
            }
            char c = untrusted.charAt(i);
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    /** "U+0020" style, with the character itself when it is printable ASCII. */
    static String describe(char c) {
        String code = String.format("U+%04X", (int) c);
        return c > 0x20 && c < 0x7f ? "'" + c + "' (" + code + ")" : code;
    }
}
