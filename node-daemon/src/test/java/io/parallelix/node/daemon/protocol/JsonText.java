package io.parallelix.node.daemon.protocol;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * Writes JSON text for {@link GeneratedRequest}, letting the fuzzer pick whitespace and how strings
 * are escaped. Commas are placed by the writer: callers only open, close, name keys and write values.
 */
final class JsonText {
    private final FuzzedDataProvider data;
    private final StringBuilder out = new StringBuilder();
    private final Deque<Level> levels = new ArrayDeque<>();

    private static final class Level {
        final boolean array;
        boolean first = true;

        Level(boolean array) {
            this.array = array;
        }
    }

    JsonText(FuzzedDataProvider data) {
        this.data = data;
    }

    void open(char bracket) {
        beforeValue();
        out.append(bracket);
        levels.push(new Level(bracket == '['));
    }

    void close(char bracket) {
        space();
        out.append(bracket);
        levels.pop();
    }

    void key(String name) {
        Level level = levels.getFirst();
        if (!level.first) {
            out.append(',');
        }
        level.first = false;
        space();
        out.append(quote(name, false));
        space();
        out.append(':');
        space();
    }

    void string(String value) {
        raw(quote(value, data.consumeInt(0, 7) == 0));
    }

    void raw(String token) {
        beforeValue();
        out.append(token);
    }

    /** Fisher-Yates with the fuzzer's choices. */
    <T> void shuffle(List<T> items) {
        for (int i = items.size() - 1; i > 0; i--) {
            int j = data.consumeInt(0, i);
            T t = items.get(i);
            items.set(i, items.get(j));
            items.set(j, t);
        }
    }

    byte[] bytes() {
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void beforeValue() {
        Level level = levels.peekFirst();
        if (level != null && level.array) {
            if (!level.first) {
                out.append(',');
            }
            level.first = false;
        }
    }

    private void space() {
        if (data.consumeInt(0, 15) == 0) {
            out.append(data.pickValue(List.of(" ", "\n", "\t", "\r\n  ")));
        }
    }

    /**
     * A JSON string literal. Unpaired surrogates have no UTF-8 form, so they are always written as
     * \\u escapes; with {@code escapeAll} so is every character outside printable ASCII.
     */
    static String quote(String s, boolean escapeAll) {
        StringBuilder q = new StringBuilder("\"");
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair =
                    Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f && (escapeAll || Character.isSurrogate(c) && !pair)) {
                q.append(String.format("\\u%04x", (int) c));
            } else if (pair) {
                q.append(c).append(s.charAt(++i));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
