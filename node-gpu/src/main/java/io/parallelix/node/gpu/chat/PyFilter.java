package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.filter.Filter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** One Jinja2 filter: {@code value | name(args, kw=...)}. */
final class PyFilter implements Filter {
    interface Body {
        Object apply(@Nullable Object value, List<Object> args, Map<String, Object> kwargs, JinjavaInterpreter in);
    }

    private final String name;
    private final Body body;

    PyFilter(String name, Body body) {
        this.name = name;
        this.body = body;
    }

    @Override
    public String getName() {
        return name;
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, Object[] args, Map<String, Object> kwargs) {
        return body.apply(var, Arrays.asList(args), kwargs, interpreter);
    }

    @Override
    public Object filter(Object var, JinjavaInterpreter interpreter, String... args) {
        throw new IllegalStateException("filters are called with their evaluated arguments");
    }
}
