package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.el.ext.NamedParameter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.exptest.ExpTest;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.util.ForLoop;
import java.beans.FeatureDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import jinjava.javax.el.ELContext;
import jinjava.javax.el.ELResolver;
import org.jspecify.annotations.Nullable;

/**
 * Attribute, item and method access ({@code a.b}, {@code a['b']}, {@code a.b(...)}) with Jinja2's
 * rules on Python values: a missing key or attribute is undefined, an attribute of undefined
 * raises, and only the str/dict methods of {@link PyStrings} and {@link #DICT_METHODS} exist.
 * Jinjava would otherwise call any public Java method ({@code 'a.b'.split('.')} is a regex split).
 */
final class PyResolver extends ELResolver {
    private static final Set<String> DICT_METHODS = Set.of("items", "keys", "values", "get");
    private static final Set<String> LIST_METHODS =
            Set.of("append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "copy", "count", "index");

    @Override
    public @Nullable Object getValue(ELContext context, @Nullable Object base, @Nullable Object property) {
        if (base == null) return null;
        context.setPropertyResolved(true);
        if (base instanceof Filter || base instanceof ExpTest) return null; // Jinjava looks before it calls
        String name = String.valueOf(property);
        if (base instanceof PyUndefined u) throw u.fail();
        if (base instanceof Map<?, ?> map) {
            if (map.containsKey(name)) return map.get(name);
            return DICT_METHODS.contains(name) ? new PyFunctions.Marker("dict." + name) : new PyUndefined(name);
        }
        if (base instanceof ForLoop loop) return loopField(loop, name);
        if (base instanceof List<?> list) {
            if (LIST_METHODS.contains(name)) throw PyError.unsupported("the list method ." + name);
            return item(list, name);
        }
        if (PyValues.isString(base)) {
            if (PyStrings.METHODS.contains(name)) return new PyFunctions.Marker("str." + name);
            List<Object> chars = new ArrayList<>();
            base.toString().codePoints().forEach(c -> chars.add(Character.toString(c)));
            return item(chars, name);
        }
        if (base == PyNone.NONE || base instanceof Boolean || PyValues.isNumber(base)) {
            return new PyUndefined(name);
        }
        throw PyError.unsupported("the attribute '" + name + "' of a " + PyValues.typeName(base));
    }

    private static Object item(List<?> list, String index) {
        long i;
        try {
            i = Long.parseLong(index);
        } catch (NumberFormatException e) {
            return new PyUndefined(index); // Jinja2: obj[name] fails, getattr fails: undefined
        }
        long at = i < 0 ? i + list.size() : i;
        return at >= 0 && at < list.size() ? list.get((int) at) : new PyUndefined("[" + index + "]");
    }

    private static Object loopField(ForLoop loop, String name) {
        return switch (name) {
            case "index" -> (long) loop.getIndex();
            case "index0" -> (long) loop.getIndex0();
            case "revindex" -> (long) loop.getRevindex();
            case "revindex0" -> (long) loop.getRevindex0();
            case "first" -> loop.isFirst();
            case "last" -> loop.isLast();
            case "length" -> (long) loop.getLength();
            case "cycle" -> new PyFunctions.Marker("loop.cycle");
            default -> throw PyError.unsupported("loop." + name);
        };
    }

    @Override
    public @Nullable Object invoke(
            ELContext context,
            @Nullable Object base,
            @Nullable Object method,
            Class<?> @Nullable [] paramTypes,
            Object @Nullable [] params) {
        if (base == null) return null;
        context.setPropertyResolved(true);
        String name = String.valueOf(method);
        if (base instanceof Filter || base instanceof ExpTest) return callLibrary(base, name, params);
        List<Object> args = new ArrayList<>();
        if (params != null) {
            for (Object p : params) {
                if (p instanceof NamedParameter) throw PyError.unsupported("keyword arguments to ." + name + "()");
                args.add(p);
            }
        }
        if (base instanceof PyUndefined u) throw u.fail();
        if (PyValues.isString(base)) return PyStrings.call(base.toString(), name, args);
        if (base instanceof Map<?, ?> map && DICT_METHODS.contains(name)) return dictMethod(map, name, args);
        if (base instanceof ForLoop loop && name.equals("cycle") && !args.isEmpty()) {
            return args.get(loop.getIndex0() % args.size());
        }
        throw PyError.unsupported("the method ." + name + "() of a " + PyValues.typeName(base));
    }

    /** Jinjava calls {@code x|f(a)} as {@code f.filter(x, interpreter, [a], {kw})}, tests as evaluate(x, interpreter, a). */
    private static Object callLibrary(Object base, String name, Object @Nullable [] p) {
        if (p == null || p.length < 2 || !(p[1] instanceof JinjavaInterpreter in)) {
            throw new IllegalStateException("unexpected call of " + name + " on " + base);
        }
        if (base instanceof Filter f && name.equals("filter") && p.length == 4) {
            @SuppressWarnings("unchecked")
            Map<String, Object> kwargs = (Map<String, Object>) p[3];
            return f.filter(p[0], in, (Object[]) p[2], kwargs);
        }
        if (base instanceof ExpTest t && (name.equals("evaluate") || name.equals("evaluateNegated"))) {
            Object[] args = Arrays.copyOfRange(p, 2, p.length);
            boolean result = t.evaluate(p[0], in, args);
            return name.equals("evaluate") == result;
        }
        throw new IllegalStateException("unexpected call of " + name + " on " + base);
    }

    private static Object dictMethod(Map<?, ?> map, String name, List<Object> args) {
        if (name.equals("get")) {
            if (args.isEmpty() || args.size() > 2) throw new PyError("TypeError: get expected 1 or 2 arguments");
            Object key = args.get(0);
            if (PyValues.isString(key) && map.containsKey(key.toString())) return map.get(key.toString());
            return args.size() == 2 ? args.get(1) : PyNone.NONE;
        }
        if (!args.isEmpty()) throw new PyError("TypeError: " + name + "() takes no arguments");
        List<Object> out = new ArrayList<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            out.add(
                    switch (name) {
                        case "keys" -> e.getKey();
                        case "values" -> e.getValue();
                        default -> new PyTuple(List.of(e.getKey(), e.getValue()));
                    });
        }
        return out;
    }

    @Override
    public @Nullable Class<?> getType(ELContext context, @Nullable Object base, @Nullable Object property) {
        return base == null ? null : Object.class;
    }

    @Override
    public void setValue(ELContext context, @Nullable Object base, @Nullable Object property, @Nullable Object v) {
        throw PyError.unsupported("assigning to an attribute or item");
    }

    @Override
    public boolean isReadOnly(ELContext context, @Nullable Object base, @Nullable Object property) {
        return true;
    }

    @Override
    public @Nullable Iterator<FeatureDescriptor> getFeatureDescriptors(ELContext context, @Nullable Object base) {
        return null;
    }

    @Override
    public @Nullable Class<?> getCommonPropertyType(ELContext context, @Nullable Object base) {
        return base == null ? null : Object.class;
    }
}
