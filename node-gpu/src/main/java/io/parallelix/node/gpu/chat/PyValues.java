package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.lib.fn.MacroFunction;
import com.hubspot.jinjava.objects.SafeString;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.NullUnmarked;
import org.jspecify.annotations.Nullable;

/**
 * Python's view of the values a template sees: str, int (Long), float (Double), bool, None,
 * list, tuple, dict, and undefined (null or {@link PyUndefined}). Anything else (a Java bean, a
 * date) has no Python meaning here and is refused where it would matter.
 */
// Dynamically typed values: null is Jinja\'s undefined, handled as a value, not a bug.
@NullUnmarked
final class PyValues {
    private PyValues() {}

    static boolean isUndefined(@Nullable Object v) {
        return v == null || v instanceof PyUndefined;
    }

    /** A string as the template sees it (Jinjava's SafeString from a macro or {@code safe}). */
    static boolean isString(@Nullable Object v) {
        return v instanceof String || v instanceof SafeString;
    }

    static boolean isInt(@Nullable Object v) {
        return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte;
    }

    static boolean isNumber(@Nullable Object v) {
        return isInt(v) || v instanceof Double || v instanceof Float;
    }

    static boolean isList(@Nullable Object v) {
        return v instanceof List && !(v instanceof PyTuple);
    }

    static String typeName(@Nullable Object v) {
        if (isUndefined(v)) return "Undefined";
        if (v == PyNone.NONE) return "NoneType";
        if (v instanceof Boolean) return "bool";
        if (isInt(v)) return "int";
        if (isNumber(v)) return "float";
        if (isString(v)) return "str";
        if (v instanceof PyTuple) return "tuple";
        if (v instanceof List) return "list";
        if (v instanceof Map) return "dict";
        if (v instanceof MacroFunction || v instanceof PyFunctions.Marker) return "function";
        return v.getClass().getSimpleName();
    }

    /** Python truthiness (Jinjava's own calls the string "false" false). */
    static boolean truthy(@Nullable Object v) {
        if (isUndefined(v) || v == PyNone.NONE) return false;
        if (v instanceof Boolean b) return b;
        if (isInt(v)) return ((Number) v).longValue() != 0;
        if (isNumber(v)) return ((Number) v).doubleValue() != 0;
        if (isString(v)) return !v.toString().isEmpty();
        if (v instanceof Collection<?> c) return !c.isEmpty();
        if (v instanceof Map<?, ?> m) return !m.isEmpty();
        return true;
    }

    /** Python {@code str(v)}; what {@code {{ v }}} prints. */
    static String str(@Nullable Object v) {
        if (isUndefined(v)) return "";
        if (isString(v)) return v.toString();
        if (v instanceof MacroFunction || v instanceof PyFunctions.Marker) {
            throw PyError.unsupported("printing a function");
        }
        return PyRepr.repr(v);
    }

    static String string(@Nullable Object v, String what) {
        if (!isString(v)) {
            throw new PyError("TypeError: " + what + " must be str, not " + typeName(v));
        }
        return v.toString();
    }

    static long toLong(@Nullable Object v, String what) {
        if (v instanceof Boolean b) return b ? 1 : 0;
        if (!isInt(v)) throw new PyError("TypeError: " + what + " must be int, not " + typeName(v));
        return ((Number) v).longValue();
    }

    /** Python {@code ==}. */
    static boolean eq(@Nullable Object a, @Nullable Object b) {
        if (isUndefined(a) || isUndefined(b)) return isUndefined(a) && isUndefined(b);
        if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b) == 0;
        if (isString(a) && isString(b)) return a.toString().equals(b.toString());
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if ((a instanceof PyTuple) != (b instanceof PyTuple) || x.size() != y.size()) return false;
            for (int i = 0; i < x.size(); i++) if (!eq(x.get(i), y.get(i))) return false;
            return true;
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (x.size() != y.size()) return false;
            for (Map.Entry<?, ?> e : x.entrySet()) {
                if (!y.containsKey(e.getKey()) || !eq(e.getValue(), y.get(e.getKey()))) return false;
            }
            return true;
        }
        return a == b || (a != null && a.equals(b) && a.getClass() == b.getClass());
    }

    /** Python's {@code <}, {@code >}: numbers, strings (by code point), lists and tuples. */
    static int compare(@Nullable Object a, @Nullable Object b, String op) {
        if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
        if (isString(a) && isString(b)) return compareCodePoints(a.toString(), b.toString());
        if (a instanceof List<?> x && b instanceof List<?> y && (a instanceof PyTuple) == (b instanceof PyTuple)) {
            for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
                if (!eq(x.get(i), y.get(i))) return compare(x.get(i), y.get(i), op);
            }
            return Integer.compare(x.size(), y.size());
        }
        throw new PyError("TypeError: '" + op + "' not supported between instances of '" + typeName(a) + "' and '"
                + typeName(b) + "'");
    }

    private static boolean isNumeric(@Nullable Object v) {
        return isNumber(v) || v instanceof Boolean;
    }

    private static int compareNumbers(Object a, Object b) {
        Object x = a instanceof Boolean t ? (t ? 1L : 0L) : a;
        Object y = b instanceof Boolean t ? (t ? 1L : 0L) : b;
        if (isInt(x) && isInt(y)) return Long.compare(((Number) x).longValue(), ((Number) y).longValue());
        double dx = ((Number) x).doubleValue();
        double dy = ((Number) y).doubleValue();
        if (Double.isNaN(dx) || Double.isNaN(dy) || Double.isInfinite(dx) || Double.isInfinite(dy)) {
            return Double.compare(dx, dy);
        }
        return exact(x).compareTo(exact(y)); // Python compares int and float exactly
    }

    private static BigDecimal exact(Object n) {
        return isInt(n) ? BigDecimal.valueOf(((Number) n).longValue()) : new BigDecimal(((Number) n).doubleValue());
    }

    static int compareCodePoints(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Boolean.compare(i < a.length(), j < b.length());
    }
}
