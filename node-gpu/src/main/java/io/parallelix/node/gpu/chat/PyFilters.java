package io.parallelix.node.gpu.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.NullUnmarked;
import org.jspecify.annotations.Nullable;

/**
 * The Jinja2 filters chat templates use, as Jinja2 3.1 defines them (plus transformers' tojson).
 * Every other Jinjava filter is disabled, so a template that uses one is refused.
 */
// Dynamically typed values: null is Jinja\'s undefined, handled as a value, not a bug.
@NullUnmarked
final class PyFilters {
    /** Jinja2's do_title splits words at these runs. */
    private static final Pattern WORD_BEGINNING = Pattern.compile("([-\\s(\\[{<]+)");

    private PyFilters() {}

    static List<PyFilter> all() {
        List<PyFilter> f = new ArrayList<>(List.of(
                new PyFilter(
                        "trim",
                        (v, a, k, in) -> PyStrings.strip(
                                PyValues.str(v),
                                chars(PyArgs.of("trim", a, k, "chars").get("chars", null)),
                                true,
                                true)),
                new PyFilter("length", (v, a, k, in) -> length(v)),
                new PyFilter("count", (v, a, k, in) -> length(v)),
                new PyFilter("lower", (v, a, k, in) -> PyValues.str(v).toLowerCase(Locale.ROOT)),
                new PyFilter("upper", (v, a, k, in) -> PyValues.str(v).toUpperCase(Locale.ROOT)),
                new PyFilter("capitalize", (v, a, k, in) -> PyStrings.call(PyValues.str(v), "capitalize", List.of())),
                new PyFilter("title", (v, a, k, in) -> title(PyValues.str(v))),
                new PyFilter("string", (v, a, k, in) -> PyValues.str(v)),
                new PyFilter("safe", (v, a, k, in) -> PyValues.str(v)),
                new PyFilter("replace", (v, a, k, in) -> {
                    PyArgs p = PyArgs.of("replace", a, k, "old", "new", "count");
                    List<Object> args =
                            new ArrayList<>(List.of(PyValues.str(p.get("old", "")), PyValues.str(p.get("new", ""))));
                    Object count = p.get("count", PyNone.NONE);
                    if (count != PyNone.NONE) args.add(count);
                    return PyStrings.call(PyValues.str(v), "replace", args);
                }),
                new PyFilter("default", PyFilters::defaultValue),
                new PyFilter("d", PyFilters::defaultValue),
                new PyFilter("items", (v, a, k, in) -> {
                    if (PyValues.isUndefined(v)) return List.of();
                    if (!(v instanceof Map<?, ?> map))
                        throw new PyError("TypeError: can only get item pairs from a mapping");
                    List<Object> out = new ArrayList<>();
                    map.forEach((key, val) -> out.add(new PyTuple(List.of(key, val))));
                    return out;
                }),
                new PyFilter("list", (v, a, k, in) -> PyTags.For.items(v)),
                new PyFilter("first", (v, a, k, in) -> {
                    List<Object> items = PyTags.For.items(v);
                    return items.isEmpty() ? new PyUndefined("first") : items.get(0);
                }),
                new PyFilter("last", (v, a, k, in) -> {
                    if (v instanceof PyGenerator) throw new PyError("TypeError: a generator is not reversible");
                    List<Object> items = PyTags.For.items(v);
                    return items.isEmpty() ? new PyUndefined("last") : items.get(items.size() - 1);
                }),
                new PyFilter("join", (v, a, k, in) -> {
                    PyArgs p = PyArgs.of("join", a, k, "d", "attribute");
                    if (p.has("attribute")) throw PyError.unsupported("join(attribute=...)");
                    List<Object> parts = new ArrayList<>();
                    for (Object o : PyTags.For.items(v)) parts.add(PyValues.str(o));
                    return PyStrings.join(PyValues.str(p.get("d", "")), parts);
                }),
                new PyFilter("int", (v, a, k, in) -> toInt(v, PyArgs.of("int", a, k, "default", "base"))),
                new PyFilter(
                        "indent",
                        (v, a, k, in) -> indent(PyValues.str(v), PyArgs.of("indent", a, k, "width", "first", "blank"))),
                new PyFilter(
                        "tojson",
                        (v, a, k, in) -> PyJson.dumps(
                                v, PyArgs.of("tojson", a, k, "ensure_ascii", "indent", "separators", "sort_keys")))));
        f.addAll(PySelect.all());
        return f;
    }

    private static @Nullable String chars(@Nullable Object chars) {
        return chars == null || chars == PyNone.NONE ? null : PyValues.string(chars, "trim() chars");
    }

    static long length(@Nullable Object v) {
        if (PyValues.isUndefined(v)) return 0;
        if (PyValues.isString(v))
            return v.toString().codePointCount(0, v.toString().length());
        if (v instanceof java.util.Collection<?> c) return c.size();
        if (v instanceof Map<?, ?> m) return m.size();
        throw new PyError("TypeError: object of type '" + PyValues.typeName(v) + "' has no len()");
    }

    private static @Nullable Object defaultValue(@Nullable Object v, List<Object> a, Map<String, Object> k, Object in) {
        PyArgs p = PyArgs.of("default", a, k, "default_value", "boolean");
        boolean useFalsy = PyValues.truthy(p.get("boolean", false));
        return PyValues.isUndefined(v) || (useFalsy && !PyValues.truthy(v)) ? p.get("default_value", "") : v;
    }

    /** Jinja2's do_title (not str.title): each piece between separators gets its first letter up. */
    private static String title(String s) {
        if (!s.chars().allMatch(c -> c < 0x80)) throw PyError.unsupported("title of non-ASCII text");
        StringBuilder out = new StringBuilder();
        Matcher m = WORD_BEGINNING.matcher(s);
        int at = 0;
        while (m.find()) {
            out.append(word(s.substring(at, m.start()))).append(m.group());
            at = m.end();
        }
        return out.append(word(s.substring(at))).toString();
    }

    private static String word(String w) {
        return w.isEmpty()
                ? w
                : w.substring(0, 1).toUpperCase(Locale.ROOT) + w.substring(1).toLowerCase(Locale.ROOT);
    }

    private static Object toInt(@Nullable Object v, PyArgs p) {
        Object fallback = p.get("default", 0L);
        if (p.has("base")) throw PyError.unsupported("int(base=...)");
        if (v instanceof Boolean b) return b ? 1L : 0L;
        if (PyValues.isInt(v)) return ((Number) v).longValue();
        if (PyValues.isNumber(v)) return (long) ((Number) v).doubleValue();
        if (PyValues.isString(v)) {
            String s = PyStrings.strip(v.toString(), null, true, true).replace("_", "");
            if (s.matches("[+-]?[0-9]{1,18}")) return Long.parseLong(s);
            throw PyError.unsupported("int() of the string '" + v + "'");
        }
        return fallback;
    }

    /** Jinja2 3.1's do_indent. */
    private static String indent(String s, PyArgs p) {
        Object width = p.get("width", 4L);
        String pad = PyValues.isString(width) ? width.toString() : " ".repeat((int) PyValues.toLong(width, "width"));
        List<String> lines = splitlines(s + "\n");
        String rv;
        if (PyValues.truthy(p.get("blank", false))) {
            rv = String.join("\n" + pad, lines);
        } else {
            StringBuilder out = new StringBuilder(lines.get(0));
            for (int i = 1; i < lines.size(); i++)
                out.append('\n').append(lines.get(i).isEmpty() ? "" : pad + lines.get(i));
            rv = out.toString();
        }
        return PyValues.truthy(p.get("first", false)) ? pad + rv : rv;
    }

    /** {@code str.splitlines()}: every Unicode line boundary, \r\n as one. */
    static List<String> splitlines(String s) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean boundary = c == '\n'
                    || c == '\r'
                    || c == 0x0b
                    || c == 0x0c
                    || (c >= 0x1c && c <= 0x1e)
                    || c == 0x85
                    || c == 0x2028
                    || c == 0x2029;
            if (!boundary) continue;
            out.add(s.substring(start, i));
            if (c == '\r' && i + 1 < s.length() && s.charAt(i + 1) == '\n') i++;
            start = i + 1;
        }
        if (start < s.length()) out.add(s.substring(start));
        return out;
    }
}
