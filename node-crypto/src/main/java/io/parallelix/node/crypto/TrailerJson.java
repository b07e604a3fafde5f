package io.parallelix.node.crypto;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The strict, minimal JSON reader of a stream's trailer: one flat object whose values are strings,
 * integers or objects, with no whitespace between tokens (the node writes none) and no repeated
 * names. A nested object is kept as its raw text, found by a bracket scan that respects strings;
 * its content is not read further (the trailer's meta is not signed). scripts/verify_envelope.py
 * reads the same grammar, so both verifiers take and refuse the same texts.
 *
 * <p>Input is printable ASCII already ({@link SignedStream#read} checks that). Failures are
 * IllegalArgumentException naming the column.
 */
final class TrailerJson {
    /** Nesting allowed inside a nested object: more is not a trailer the node writes. */
    static final int MAX_DEPTH = 32;

    sealed interface Value {
        record Text(String value) implements Value {}

        /** An integer as written: -?(0|[1-9][0-9]*). */
        record Int(String digits) implements Value {}

        /** A nested object's raw text, braces included. */
        record Nested(String raw) implements Value {}
    }

    private final String s;
    private int at;

    private TrailerJson(String s) {
        this.s = s;
    }

    static Map<String, Value> parse(String text) {
        return new TrailerJson(text).object();
    }

    private Map<String, Value> object() {
        expect('{');
        Map<String, Value> members = new LinkedHashMap<>();
        if (peek() == '}') {
            at++;
        } else {
            do {
                int nameAt = at;
                String name = string();
                expect(':');
                if (members.put(name, value()) != null) {
                    throw error(nameAt, "name \"" + Printable.truncate(name) + "\" appears twice");
                }
            } while (accept(','));
            expect('}');
        }
        if (at != s.length()) {
            throw error(at, "text after the object's end");
        }
        return members;
    }

    private Value value() {
        char c = peek();
        if (c == '"') {
            return new Value.Text(string());
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            return new Value.Int(integer());
        }
        if (c == '{') {
            return new Value.Nested(nested());
        }
        throw error(at, "a value here must be a string, an integer or an object");
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next("a string");
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next("an escape");
            switch (e) {
                case '"', '\\', '/' -> b.append(e);
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'u' -> b.append(unicodeEscape());
                default -> throw error(at - 1, "\\" + e + " is not a JSON escape");
            }
        }
    }

    private char unicodeEscape() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(next("a \\u escape"), 16);
            if (d < 0) {
                throw error(at - 1, "\\u needs four hex digits");
            }
            value = value * 16 + d;
        }
        return (char) value;
    }

    private String integer() {
        int start = at;
        accept('-');
        char first = next("an integer");
        if (first == '0') {
            return s.substring(start, at); // JSON has no leading zeros: "01" fails at the '1'
        }
        if (first < '1' || first > '9') {
            throw error(at - 1, "an integer needs a digit after '-'");
        }
        while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
            at++;
        }
        return s.substring(start, at);
    }

    /** The raw text of an object, up to its matching brace, brackets balanced, strings skipped. */
    private String nested() {
        int start = at;
        StringBuilder open = new StringBuilder(); // the closers we owe, innermost last
        do {
            char c = next("an object");
            switch (c) {
                case '{' -> open.append('}');
                case '[' -> open.append(']');
                case '}', ']' -> {
                    if (c != open.charAt(open.length() - 1)) {
                        throw error(at - 1, "'" + c + "' closes a '" + (c == '}' ? '[' : '{') + "'");
                    }
                    open.setLength(open.length() - 1);
                }
                case '"' -> skipString();
                default -> {}
            }
            if (open.length() > MAX_DEPTH) {
                throw error(at - 1, "nested deeper than " + MAX_DEPTH);
            }
        } while (open.length() > 0);
        return s.substring(start, at);
    }

    private void skipString() {
        while (true) {
            char c = next("a string");
            if (c == '"') {
                return;
            }
            if (c == '\\') {
                next("an escape");
            }
        }
    }

    private char peek() {
        if (at >= s.length()) {
            throw error(at, "the text ends early");
        }
        return s.charAt(at);
    }

    private char next(String inside) {
        if (at >= s.length()) {
            throw error(at, "the text ends inside " + inside);
        }
        return s.charAt(at++);
    }

    private boolean accept(char c) {
        if (at < s.length() && s.charAt(at) == c) {
            at++;
            return true;
        }
        return false;
    }

    private void expect(char c) {
        if (!accept(c)) {
            throw error(
                    at,
                    at < s.length()
                            ? "expected '" + c + "', found '" + s.charAt(at) + "'"
                            : "expected '" + c + "', the text ends");
        }
    }

    private static IllegalArgumentException error(int column, String what) {
        return new IllegalArgumentException("column " + (column + 1) + ": " + what);
    }
}
