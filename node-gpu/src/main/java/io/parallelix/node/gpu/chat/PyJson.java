package io.parallelix.node.gpu.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.NullUnmarked;
import org.jspecify.annotations.Nullable;

/**
 * transformers' {@code tojson} filter: Python's {@code json.dumps(x, ensure_ascii=False,
 * indent=None, separators=None, sort_keys=False)} byte for byte (not Jinja2's HTML-safe one).
 */
// Dynamically typed values: null is Jinja\'s undefined, handled as a value, not a bug.
@NullUnmarked
final class PyJson {
    private final boolean ensureAscii;
    private final @Nullable String indent;
    private final String itemSeparator;
    private final String keySeparator;
    private final boolean sortKeys;

    private PyJson(
            boolean ensureAscii, @Nullable String indent, String itemSeparator, String keySeparator, boolean sortKeys) {
        this.ensureAscii = ensureAscii;
        this.indent = indent;
        this.itemSeparator = itemSeparator;
        this.keySeparator = keySeparator;
        this.sortKeys = sortKeys;
    }

    static String dumps(@Nullable Object value, PyArgs args) {
        Object indent = args.get("indent", PyNone.NONE);
        String pad = indent == PyNone.NONE
                ? null
                : PyValues.isString(indent)
                        ? indent.toString()
                        : " ".repeat((int) Math.max(0, PyValues.toLong(indent, "indent")));
        Object separators = args.get("separators", PyNone.NONE);
        String item = pad == null ? ", " : ",";
        String key = ": ";
        if (separators != PyNone.NONE) {
            if (!(separators instanceof List<?> pair) || pair.size() != 2) {
                throw new PyError("TypeError: separators must be a (item, key) pair");
            }
            item = PyValues.string(pair.get(0), "item separator");
            key = PyValues.string(pair.get(1), "key separator");
        }
        PyJson json = new PyJson(
                PyValues.truthy(args.get("ensure_ascii", false)),
                pad,
                item,
                key,
                PyValues.truthy(args.get("sort_keys", false)));
        StringBuilder out = new StringBuilder();
        json.write(out, value, 0);
        return out.toString();
    }

    private void write(StringBuilder out, @Nullable Object v, int depth) {
        if (v == PyNone.NONE) out.append("null");
        else if (v instanceof Boolean b) out.append(b);
        else if (PyValues.isInt(v)) out.append(((Number) v).longValue());
        else if (PyValues.isNumber(v)) out.append(number(((Number) v).doubleValue()));
        else if (PyValues.isString(v)) string(out, v.toString());
        else if (v instanceof List<?> list) container(out, list, depth, '[', ']');
        else if (v instanceof Map<?, ?> map) {
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            if (sortKeys)
                entries.sort((a, b) -> PyValues.compareCodePoints(
                        a.getKey().toString(), b.getKey().toString()));
            container(out, entries, depth, '{', '}');
        } else {
            throw new PyError("TypeError: Object of type " + PyValues.typeName(v) + " is not JSON serializable");
        }
    }

    private void container(StringBuilder out, List<?> items, int depth, char open, char close) {
        out.append(open);
        if (items.isEmpty()) {
            out.append(close);
            return;
        }
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) out.append(itemSeparator);
            newline(out, depth + 1);
            if (items.get(i) instanceof Map.Entry<?, ?> e) {
                if (!PyValues.isString(e.getKey())) throw PyError.unsupported("a non-string dict key in tojson");
                string(out, e.getKey().toString());
                out.append(keySeparator);
                write(out, e.getValue(), depth + 1);
            } else {
                write(out, items.get(i), depth + 1);
            }
        }
        newline(out, depth);
        out.append(close);
    }

    private void newline(StringBuilder out, int depth) {
        if (indent != null) out.append('\n').append(indent.repeat(depth));
    }

    private static String number(double d) {
        if (Double.isNaN(d)) return "NaN";
        if (Double.isInfinite(d)) return d > 0 ? "Infinity" : "-Infinity";
        return PyRepr.floatRepr(d);
    }

    private void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || (ensureAscii && c > 0x7e)) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }
}
