package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.fn.ELFunctionDefinition;
import com.hubspot.jinjava.objects.Namespace;
import java.lang.reflect.Method;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The globals transformers gives a chat template ({@code raise_exception}, {@code strftime_now})
 * and Jinja2's ({@code range}, {@code namespace}, {@code dict}). Jinjava calls functions as static
 * methods; the clock comes with each render's bindings, under {@link #CLOCK}.
 */
final class PyFunctions {
    static final String CLOCK = "__pxnode_clock__";
    static final long MAX_RANGE = 100_000;

    /** A function or bound method as a value: defined and true, but not printable. */
    record Marker(String name) {}

    /** The template's own {@code raise_exception(message)}: its message is the error. */
    static final class Raised extends RuntimeException {
        Raised(String message) {
            super(message);
        }
    }

    private PyFunctions() {}

    static List<ELFunctionDefinition> definitions() {
        return List.of(
                function("raise_exception", "raiseException", Object.class),
                function("strftime_now", "strftimeNow", Object.class),
                function("range", "range", Object[].class),
                function("namespace", "namespace", Object[].class),
                function("dict", "dict", Object[].class));
    }

    private static ELFunctionDefinition function(String name, String method, Class<?> parameter) {
        try {
            Method m = PyFunctions.class.getDeclaredMethod(method, parameter);
            m.setAccessible(true); // this class is package-private; EL calls through reflection
            return new ELFunctionDefinition("", name, m);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names the template sees as defined globals ({@code strftime_now is defined}). */
    static Map<String, Object> globals() {
        Map<String, Object> g = new LinkedHashMap<>();
        for (ELFunctionDefinition d : definitions()) g.put(d.getLocalName(), new Marker(d.getLocalName()));
        g.put("none", PyNone.NONE);
        g.put("None", PyNone.NONE);
        return g;
    }

    static Object raiseException(Object message) {
        throw new Raised(PyValues.str(message));
    }

    static Object strftimeNow(Object format) {
        Object clock = JinjavaInterpreter.getCurrent().getContext().get(CLOCK);
        if (!(clock instanceof Clock c)) throw new IllegalStateException("no clock in the render context");
        return Strftime.format(ZonedDateTime.now(c), PyValues.string(format, "strftime_now() format"));
    }

    static Object range(Object... args) {
        if (args.length < 1 || args.length > 3) throw new PyError("TypeError: range expected 1 to 3 arguments");
        long start = args.length == 1 ? 0 : PyValues.toLong(args[0], "range()");
        long stop = PyValues.toLong(args[args.length == 1 ? 0 : 1], "range()");
        long step = args.length == 3 ? PyValues.toLong(args[2], "range()") : 1;
        if (step == 0) throw new PyError("ValueError: range() arg 3 must not be zero");
        List<Object> out = new ArrayList<>();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step) {
            if (out.size() >= MAX_RANGE) throw new PyError("range() longer than " + MAX_RANGE);
            out.add(i);
        }
        return out;
    }

    static Object namespace(Object... args) {
        return new Namespace(kwargs(args, "namespace"));
    }

    static Object dict(Object... args) {
        return kwargs(args, "dict");
    }

    private static Map<String, Object> kwargs(Object[] args, String what) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Object a : args) {
            if (!(a instanceof NamedParameter p)) throw PyError.unsupported("positional arguments to " + what + "()");
            out.put(p.getName(), p.getValue() == null ? new PyUndefined(p.getName()) : p.getValue());
        }
        return out;
    }
}
