package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import org.jspecify.annotations.Nullable;

/** Jinja2's tests ({@code x is defined}, {@code is string}, ...); Jinjava's others are disabled. */
final class PyTests {
    private static final Map<String, BiPredicate<@Nullable Object, List<Object>>> TESTS = Map.ofEntries(
            Map.entry("defined", (v, a) -> !PyValues.isUndefined(v)),
            Map.entry("undefined", (v, a) -> PyValues.isUndefined(v)),
            Map.entry("none", (v, a) -> v == PyNone.NONE),
            Map.entry("string", (v, a) -> PyValues.isString(v)),
            Map.entry("number", (v, a) -> PyValues.isNumber(v) || v instanceof Boolean),
            Map.entry("integer", (v, a) -> PyValues.isInt(v)),
            Map.entry("float", (v, a) -> PyValues.isNumber(v) && !PyValues.isInt(v)),
            Map.entry("boolean", (v, a) -> v instanceof Boolean),
            Map.entry("true", (v, a) -> Boolean.TRUE.equals(v)),
            Map.entry("false", (v, a) -> Boolean.FALSE.equals(v)),
            Map.entry("mapping", (v, a) -> v instanceof Map),
            Map.entry(
                    "iterable",
                    (v, a) -> PyValues.isString(v)
                            || v instanceof Map
                            || (v instanceof Iterable && v != PyNone.NONE)
                            || PyValues.isUndefined(v)),
            Map.entry(
                    "sequence",
                    (v, a) -> PyValues.isString(v) || v instanceof Map || v instanceof List || PyValues.isUndefined(v)),
            Map.entry("equalto", (v, a) -> PyValues.eq(v, one(a))),
            Map.entry("eq", (v, a) -> PyValues.eq(v, one(a))),
            Map.entry("==", (v, a) -> PyValues.eq(v, one(a))),
            Map.entry("ne", (v, a) -> !PyValues.eq(v, one(a))),
            Map.entry("!=", (v, a) -> !PyValues.eq(v, one(a))),
            Map.entry("in", (v, a) -> PyOperators.contains(one(a), v)),
            Map.entry("even", (v, a) -> Math.floorMod(PyValues.toLong(v, "even"), 2) == 0),
            Map.entry("odd", (v, a) -> Math.floorMod(PyValues.toLong(v, "odd"), 2) == 1),
            Map.entry(
                    "divisibleby",
                    (v, a) -> Math.floorMod(PyValues.toLong(v, "divisibleby"), PyValues.toLong(one(a), "divisibleby"))
                            == 0));

    private PyTests() {}

    static boolean test(String name, @Nullable Object value, List<Object> args) {
        var t = TESTS.get(name);
        if (t == null) throw PyError.unsupported("the test '" + name + "'");
        return t.test(value, args);
    }

    private static @Nullable Object one(List<Object> args) {
        if (args.size() != 1) throw new PyError("TypeError: the test takes one argument");
        return args.get(0);
    }

    static List<ExpTest> all() {
        return TESTS.keySet().stream().<ExpTest>map(PyTest::new).toList();
    }

    private record PyTest(String name) implements ExpTest {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean evaluate(Object var, JinjavaInterpreter interpreter, Object... args) {
            return test(name, var, Arrays.asList(args));
        }
    }
}
