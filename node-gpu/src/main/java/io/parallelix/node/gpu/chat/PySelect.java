package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.NullUnmarked;
import org.jspecify.annotations.Nullable;

/** Jinja2's {@code select}, {@code reject}, {@code selectattr}, {@code rejectattr} and {@code map}. */
// Dynamically typed values: null is Jinja\'s undefined, handled as a value, not a bug.
@NullUnmarked
final class PySelect {
    private PySelect() {}

    static List<PyFilter> all() {
        return List.of(
                new PyFilter("select", (v, a, k, in) -> select(v, a, k, false, false)),
                new PyFilter("reject", (v, a, k, in) -> select(v, a, k, true, false)),
                new PyFilter("selectattr", (v, a, k, in) -> select(v, a, k, false, true)),
                new PyFilter("rejectattr", (v, a, k, in) -> select(v, a, k, true, true)),
                new PyFilter("map", PySelect::map));
    }

    private static Object select(
            @Nullable Object seq, List<Object> args, Map<String, Object> kwargs, boolean reject, boolean byAttribute) {
        if (!kwargs.isEmpty()) throw PyError.unsupported("keyword arguments to select/reject");
        int at = 0;
        String attribute = byAttribute ? PyValues.string(arg(args, at++), "the attribute") : null;
        String test = at < args.size() ? PyValues.string(args.get(at++), "the test name") : null;
        List<Object> testArgs = args.subList(Math.min(at, args.size()), args.size());
        List<Object> out = new ArrayList<>();
        for (Object item : PyTags.For.items(seq)) {
            Object subject = attribute == null ? item : attribute(item, attribute);
            boolean pass = test == null ? PyValues.truthy(subject) : PyTests.test(test, subject, testArgs);
            if (pass != reject) out.add(item);
        }
        return new PyGenerator(out);
    }

    private static Object map(
            @Nullable Object seq, List<Object> args, Map<String, Object> kwargs, JinjavaInterpreter in) {
        List<Object> out = new ArrayList<>();
        if (kwargs.containsKey("attribute")) {
            if (!args.isEmpty() || kwargs.size() > 2 || (kwargs.size() == 2 && !kwargs.containsKey("default"))) {
                throw PyError.unsupported("these arguments to map(attribute=...)");
            }
            String attribute = PyValues.string(kwargs.get("attribute"), "the attribute");
            for (Object item : PyTags.For.items(seq)) {
                Object v = attribute(item, attribute);
                out.add(PyValues.isUndefined(v) && kwargs.containsKey("default") ? kwargs.get("default") : v);
            }
            return new PyGenerator(out);
        }
        String name = PyValues.string(arg(args, 0), "the filter name");
        PyFilter filter = PyFilters.all().stream()
                .filter(f -> f.getName().equals(name))
                .findFirst()
                .orElseThrow(() -> PyError.unsupported("map() with the filter '" + name + "'"));
        Object[] rest = args.subList(1, args.size()).toArray();
        for (Object item : PyTags.For.items(seq)) out.add(filter.filter(item, in, rest, kwargs));
        return new PyGenerator(out);
    }

    /** Jinja2's attribute getter: "a.b.0" walks dict keys and list indices; missing is undefined. */
    static Object attribute(@Nullable Object item, String path) {
        Object v = item;
        for (String part : Arrays.asList(path.split("\\.", -1))) {
            if (v instanceof Map<?, ?> map) {
                v = map.containsKey(part) ? map.get(part) : new PyUndefined(part);
            } else if (v instanceof List<?> list && part.matches("[0-9]+")) {
                int i = Integer.parseInt(part);
                v = i < list.size() ? list.get(i) : new PyUndefined(part);
            } else if (v instanceof PyUndefined u) {
                throw u.fail();
            } else {
                v = new PyUndefined(part);
            }
        }
        return v;
    }

    private static Object arg(List<Object> args, int i) {
        if (i >= args.size()) throw new PyError("TypeError: missing an argument");
        return args.get(i);
    }
}
