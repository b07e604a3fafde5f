package io.parallelix.node.gpu.chat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.NullUnmarked;
import org.jspecify.annotations.Nullable;

/** Python's {@code repr()} for the values of {@link PyValues}, and {@code float.__repr__}. */
// Dynamically typed values: null is Jinja\'s undefined, handled as a value, not a bug.
@NullUnmarked
final class PyRepr {
    private PyRepr() {}

    static String repr(@Nullable Object v) {
        StringBuilder out = new StringBuilder();
        append(out, v);
        return out.toString();
    }

    private static void append(StringBuilder out, @Nullable Object v) {
        if (PyValues.isUndefined(v)) {
            throw PyError.unsupported("an undefined value inside a printed container");
        } else if (v == PyNone.NONE) {
            out.append("None");
        } else if (v instanceof Boolean b) {
            out.append(b ? "True" : "False");
        } else if (PyValues.isInt(v)) {
            out.append(((Number) v).longValue());
        } else if (PyValues.isNumber(v)) {
            out.append(floatRepr(((Number) v).doubleValue()));
        } else if (PyValues.isString(v)) {
            quote(out, v.toString());
        } else if (v instanceof List<?> list) {
            boolean tuple = v instanceof PyTuple;
            out.append(tuple ? '(' : '[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) out.append(", ");
                append(out, list.get(i));
            }
            out.append(tuple && list.size() == 1 ? ",)" : tuple ? ")" : "]");
        } else if (v instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) out.append(", ");
                first = false;
                append(out, e.getKey());
                out.append(": ");
                append(out, e.getValue());
            }
            out.append('}');
        } else {
            throw PyError.unsupported("printing a " + PyValues.typeName(v));
        }
    }

    /** {@code repr(str)}: single quotes unless the text has ' and no ", escapes as CPython does. */
    private static void quote(StringBuilder out, String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        out.append(q);
        s.codePoints().forEach(c -> {
            if (c == q || c == '\\') out.append('\\').appendCodePoint(c);
            else if (c == '\n') out.append("\\n");
            else if (c == '\r') out.append("\\r");
            else if (c == '\t') out.append("\\t");
            else if (printable(c)) out.appendCodePoint(c);
            else if (c < 0x100) out.append(String.format("\\x%02x", c));
            else if (c < 0x10000) out.append(String.format("\\u%04x", c));
            else out.append(String.format("\\U%08x", c));
        });
        out.append(q);
    }

    /** CPython's str.isprintable: not Cc, Cf, Cs, Co, Cn, Zl, Zp, and no Zs other than space. */
    private static boolean printable(int c) {
        if (c == ' ') return true;
        return switch (Character.getType(c)) {
            case Character.CONTROL,
                    Character.FORMAT,
                    Character.SURROGATE,
                    Character.PRIVATE_USE,
                    Character.UNASSIGNED,
                    Character.LINE_SEPARATOR,
                    Character.PARAGRAPH_SEPARATOR,
                    Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    /**
     * {@code float.__repr__}: the shortest digits that round-trip (Java's Double.toString gives the
     * same digits since JDK 19), laid out as Python does: positional for exponents -4..15, else
     * {@code 1e+16} style.
     */
    static String floatRepr(double d) {
        if (Double.isNaN(d)) return "nan";
        if (Double.isInfinite(d)) return d > 0 ? "inf" : "-inf";
        if (d == 0) return (1 / d < 0) ? "-0.0" : "0.0";
        BigDecimal bd = new BigDecimal(Double.toString(d)).stripTrailingZeros();
        String digits = bd.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - bd.scale();
        String sign = d < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = bd.abs().toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }
}
