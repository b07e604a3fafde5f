package io.parallelix.node.gpu.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The str methods chat templates call, with CPython's semantics: whitespace is str.isspace's set,
 * split is literal (Java's is a regex), indices count code points. {@code title}/{@code
 * capitalize} are exact for ASCII text and refused otherwise (Unicode title-casing differs).
 */
final class PyStrings {
    static final Set<String> METHODS = Set.of(
            "strip",
            "lstrip",
            "rstrip",
            "split",
            "startswith",
            "endswith",
            "upper",
            "lower",
            "replace",
            "title",
            "capitalize",
            "find",
            "count",
            "join");

    private PyStrings() {}

    static Object call(String s, String name, List<Object> args) {
        return switch (name) {
            case "strip" -> strip(s, chars(args, name), true, true);
            case "lstrip" -> strip(s, chars(args, name), true, false);
            case "rstrip" -> strip(s, chars(args, name), false, true);
            case "split" ->
                split(s, arg(args, 0, name), args.size() > 1 ? PyValues.toLong(args.get(1), "maxsplit") : -1);
            case "startswith" -> affix(s, one(args, name), true);
            case "endswith" -> affix(s, one(args, name), false);
            case "upper" -> none(args, name, s.toUpperCase(Locale.ROOT));
            case "lower" -> none(args, name, s.toLowerCase(Locale.ROOT));
            case "title" -> none(args, name, title(s));
            case "capitalize" ->
                none(
                        args,
                        name,
                        ascii(s, name).isEmpty()
                                ? s
                                : s.substring(0, 1).toUpperCase(Locale.ROOT)
                                        + s.substring(1).toLowerCase(Locale.ROOT));
            case "replace" -> replace(s, args);
            case "find" -> {
                int at = s.indexOf(PyValues.string(one(args, name), "find()"));
                yield (long) (at < 0 ? -1 : s.codePointCount(0, at));
            }
            case "count" -> count(s, PyValues.string(one(args, name), "count()"));
            case "join" -> join(s, one(args, name));
            default -> throw PyError.unsupported("the method str." + name + "()");
        };
    }

    static boolean isSpace(int c) {
        return (c >= 0x09 && c <= 0x0d)
                || (c >= 0x1c && c <= 0x20)
                || c == 0x85
                || c == 0xa0
                || c == 0x1680
                || (c >= 0x2000 && c <= 0x200a)
                || c == 0x2028
                || c == 0x2029
                || c == 0x202f
                || c == 0x205f
                || c == 0x3000;
    }

    /** {@code str.strip(chars)}; chars null strips whitespace. */
    static String strip(String s, @Nullable String chars, boolean left, boolean right) {
        int[] cps = s.codePoints().toArray();
        int from = 0;
        int to = cps.length;
        while (left && from < to && stripped(cps[from], chars)) from++;
        while (right && to > from && stripped(cps[to - 1], chars)) to--;
        return new String(cps, from, to - from);
    }

    private static boolean stripped(int c, @Nullable String chars) {
        return chars == null ? isSpace(c) : chars.codePoints().anyMatch(x -> x == c);
    }

    static List<Object> split(String s, @Nullable Object sep, long maxsplit) {
        List<Object> out = new ArrayList<>();
        if (sep == null || sep == PyNone.NONE) {
            int[] cps = s.codePoints().toArray();
            int i = 0;
            while (true) {
                while (i < cps.length && isSpace(cps[i])) i++;
                if (i == cps.length) return out;
                if (maxsplit >= 0 && out.size() == maxsplit) {
                    out.add(new String(cps, i, cps.length - i));
                    return out;
                }
                int start = i;
                while (i < cps.length && !isSpace(cps[i])) i++;
                out.add(new String(cps, start, i - start));
            }
        }
        String by = PyValues.string(sep, "split() separator");
        if (by.isEmpty()) throw new PyError("ValueError: empty separator");
        int from = 0;
        for (int at;
                (maxsplit < 0 || out.size() < maxsplit) && (at = s.indexOf(by, from)) >= 0;
                from = at + by.length()) {
            out.add(s.substring(from, at));
        }
        out.add(s.substring(from));
        return out;
    }

    private static boolean affix(String s, @Nullable Object x, boolean prefix) {
        if (x instanceof PyTuple tuple) {
            for (Object o : tuple) if (affix(s, o, prefix)) return true;
            return false;
        }
        String a = PyValues.string(x, prefix ? "startswith()" : "endswith()");
        return prefix ? s.startsWith(a) : s.endsWith(a);
    }

    private static String replace(String s, List<Object> args) {
        if (args.size() < 2 || args.size() > 3) throw new PyError("TypeError: replace expected 2 or 3 arguments");
        String old = PyValues.string(args.get(0), "replace()");
        String with = PyValues.string(args.get(1), "replace()");
        long count = args.size() == 3 ? PyValues.toLong(args.get(2), "count") : -1;
        StringBuilder out = new StringBuilder();
        if (old.isEmpty()) {
            int[] cps = s.codePoints().toArray();
            long n = 0;
            for (int i = 0; i <= cps.length; i++) {
                if (count < 0 || n < count) {
                    out.append(with);
                    n++;
                }
                if (i < cps.length) out.appendCodePoint(cps[i]);
            }
            return out.toString();
        }
        int from = 0;
        long n = 0;
        for (int at; (count < 0 || n < count) && (at = s.indexOf(old, from)) >= 0; from = at + old.length(), n++) {
            out.append(s, from, at).append(with);
        }
        return out.append(s.substring(from)).toString();
    }

    private static long count(String s, String sub) {
        if (sub.isEmpty()) return s.codePointCount(0, s.length()) + 1L;
        long n = 0;
        for (int at = s.indexOf(sub); at >= 0; at = s.indexOf(sub, at + sub.length())) n++;
        return n;
    }

    static String join(String sep, @Nullable Object items) {
        if (!(items instanceof Iterable<?> list) || items == PyNone.NONE) {
            throw new PyError("TypeError: can only join an iterable");
        }
        StringBuilder out = new StringBuilder();
        boolean first = true;
        for (Object o : list) {
            if (!first) out.append(sep);
            first = false;
            out.append(PyValues.string(o, "sequence item"));
        }
        return out.toString();
    }

    /** {@code str.title()} for ASCII text: a letter after a non-letter is upper-cased, others lowered. */
    static String title(String s) {
        StringBuilder out = new StringBuilder();
        boolean afterLetter = false;
        for (char c : ascii(s, "title").toCharArray()) {
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            out.append(letter ? (afterLetter ? Character.toLowerCase(c) : Character.toUpperCase(c)) : c);
            afterLetter = letter;
        }
        return out.toString();
    }

    private static String ascii(String s, String what) {
        if (!s.chars().allMatch(c -> c < 0x80)) throw PyError.unsupported(what + "() of non-ASCII text");
        return s;
    }

    private static @Nullable String chars(List<Object> args, String name) {
        if (args.size() > 1) throw new PyError("TypeError: " + name + "() takes at most 1 argument");
        Object a = args.isEmpty() ? null : args.get(0);
        return a == null || a == PyNone.NONE ? null : PyValues.string(a, name + "() argument");
    }

    private static @Nullable Object arg(List<Object> args, int i, String name) {
        if (args.size() > 2) throw new PyError("TypeError: " + name + "() takes at most 2 arguments");
        return i < args.size() ? args.get(i) : null;
    }

    private static @Nullable Object one(List<Object> args, String name) {
        if (args.size() != 1) throw PyError.unsupported(name + "() with " + args.size() + " arguments");
        return args.get(0);
    }

    private static Object none(List<Object> args, String name, Object result) {
        if (!args.isEmpty()) throw new PyError("TypeError: " + name + "() takes no arguments");
        return result;
    }
}
