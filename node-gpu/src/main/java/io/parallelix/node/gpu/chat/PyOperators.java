package io.parallelix.node.gpu.chat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstBinary;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstUnary;
import jinjava.javax.el.ELContext;
import org.jspecify.annotations.NullUnmarked;
import org.jspecify.annotations.Nullable;

/**
 * Python's operators, replacing EL's (which coerce: in EL {@code '1' == 1} and {@code 'a' + none}
 * is "anull"). A combination Python rejects raises here too, so the template is refused.
 */
// Dynamically typed values: null is Jinja\'s undefined, handled as a value, not a bug.
@NullUnmarked
final class PyOperators {
    private PyOperators() {}

    static final AstBinary.Operator ADD = simple("+", PyOperators::add);
    static final AstBinary.Operator SUB = arithmetic("-", Math::subtractExact, (a, b) -> a - b);
    static final AstBinary.Operator MUL = simple("*", PyOperators::mul);
    static final AstBinary.Operator DIV = simple("/", (a, b) -> {
        double d = number(b, "/");
        if (d == 0) throw new PyError("ZeroDivisionError: division by zero");
        return number(a, "/") / d;
    });
    static final AstBinary.Operator FLOOR_DIV = arithmetic("//", PyOperators::floorDiv, (a, b) -> Math.floor(a / b));
    static final AstBinary.Operator MOD = arithmetic("%", PyOperators::floorMod, (a, b) -> a - b * Math.floor(a / b));
    static final AstBinary.Operator CONCAT = simple("~", (a, b) -> PyValues.str(a) + PyValues.str(b));
    static final AstBinary.Operator EQ = simple("==", (a, b) -> PyValues.eq(a, b));
    static final AstBinary.Operator NE = simple("!=", (a, b) -> !PyValues.eq(a, b));
    static final AstBinary.Operator LT = simple("<", (a, b) -> PyValues.compare(a, b, "<") < 0);
    static final AstBinary.Operator LE = simple("<=", (a, b) -> PyValues.compare(a, b, "<=") <= 0);
    static final AstBinary.Operator GT = simple(">", (a, b) -> PyValues.compare(a, b, ">") > 0);
    static final AstBinary.Operator GE = simple(">=", (a, b) -> PyValues.compare(a, b, ">=") >= 0);
    static final AstBinary.Operator IN = simple("in", (a, b) -> contains(b, a));
    static final AstBinary.Operator NOT_IN = simple("not in", (a, b) -> !contains(b, a));
    /** {@code and}/{@code or} return an operand, as in Python, and evaluate the right one lazily. */
    static final AstBinary.Operator AND = (Bindings bindings, ELContext context, AstNode left, AstNode right) -> {
        Object l = left.eval(bindings, context);
        return PyValues.truthy(l) ? right.eval(bindings, context) : l;
    };

    static final AstBinary.Operator OR = (Bindings bindings, ELContext context, AstNode left, AstNode right) -> {
        Object l = left.eval(bindings, context);
        return PyValues.truthy(l) ? l : right.eval(bindings, context);
    };
    static final AstUnary.Operator NOT =
            (Bindings bindings, ELContext context, AstNode node) -> !PyValues.truthy(node.eval(bindings, context));
    static final AstUnary.Operator NEG = (Bindings bindings, ELContext context, AstNode node) -> {
        Object v = node.eval(bindings, context);
        if (PyValues.isInt(v) || v instanceof Boolean) return Math.negateExact(PyValues.toLong(v, "-"));
        if (PyValues.isNumber(v)) return -((Number) v).doubleValue();
        throw new PyError("TypeError: bad operand type for unary -: '" + PyValues.typeName(v) + "'");
    };

    private interface Longs {
        long apply(long a, long b);
    }

    private interface Doubles {
        double apply(double a, double b);
    }

    private static AstBinary.Operator simple(String name, BinaryOperator<@Nullable Object> op) {
        return (Bindings bindings, ELContext context, AstNode left, AstNode right) ->
                op.apply(left.eval(bindings, context), right.eval(bindings, context));
    }

    private static AstBinary.Operator arithmetic(String name, Longs ints, Doubles floats) {
        return simple(name, (a, b) -> {
            if (isIntLike(a) && isIntLike(b)) return ints.apply(PyValues.toLong(a, name), PyValues.toLong(b, name));
            double y = number(b, name);
            if (y == 0 && !name.equals("-")) throw new PyError("ZeroDivisionError: float modulo or division by zero");
            return floats.apply(number(a, name), y);
        });
    }

    private static boolean isIntLike(@Nullable Object v) {
        return PyValues.isInt(v) || v instanceof Boolean;
    }

    private static double number(@Nullable Object v, String op) {
        if (isIntLike(v)) return PyValues.toLong(v, op);
        if (PyValues.isNumber(v)) return ((Number) v).doubleValue();
        throw new PyError("TypeError: unsupported operand type for " + op + ": '" + PyValues.typeName(v) + "'");
    }

    private static Object add(@Nullable Object a, @Nullable Object b) {
        if (PyValues.isString(a) && PyValues.isString(b)) return a.toString() + b;
        if (PyValues.isList(a) && PyValues.isList(b)) {
            List<Object> out = new ArrayList<>((List<?>) a);
            out.addAll((List<?>) b);
            return out;
        }
        if ((PyValues.isNumber(a) || a instanceof Boolean) && (PyValues.isNumber(b) || b instanceof Boolean)) {
            if (isIntLike(a) && isIntLike(b)) return Math.addExact(PyValues.toLong(a, "+"), PyValues.toLong(b, "+"));
            return number(a, "+") + number(b, "+");
        }
        if (PyValues.isUndefined(a) || PyValues.isUndefined(b)) {
            throw new PyError("UndefinedError: an undefined value in '+'");
        }
        throw new PyError("TypeError: unsupported operand types for +: '" + PyValues.typeName(a) + "' and '"
                + PyValues.typeName(b) + "'");
    }

    private static Object mul(@Nullable Object a, @Nullable Object b) {
        if (PyValues.isString(a) && isIntLike(b))
            return a.toString().repeat((int) Math.max(0, PyValues.toLong(b, "*")));
        if (isIntLike(a) && isIntLike(b)) return Math.multiplyExact(PyValues.toLong(a, "*"), PyValues.toLong(b, "*"));
        return number(a, "*") * number(b, "*");
    }

    private static long floorDiv(long a, long b) {
        if (b == 0) throw new PyError("ZeroDivisionError: integer division or modulo by zero");
        return Math.floorDiv(a, b);
    }

    private static long floorMod(long a, long b) {
        if (b == 0) throw new PyError("ZeroDivisionError: integer division or modulo by zero");
        return Math.floorMod(a, b);
    }

    /** Python's {@code needle in haystack}. */
    static boolean contains(@Nullable Object haystack, @Nullable Object needle) {
        if (PyValues.isString(haystack)) return haystack.toString().contains(PyValues.string(needle, "'in <string>'"));
        if (haystack instanceof Map<?, ?> map) {
            if (!PyValues.isString(needle)) throw PyError.unsupported("a non-string dict key");
            return map.containsKey(needle.toString());
        }
        if (haystack instanceof Iterable<?> items && !(haystack instanceof PyNone)) {
            for (Object item : items) if (PyValues.eq(item, needle)) return true;
            return false;
        }
        throw new PyError("TypeError: argument of type '" + PyValues.typeName(haystack) + "' is not iterable");
    }
}
