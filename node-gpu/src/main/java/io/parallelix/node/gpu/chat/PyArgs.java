package io.parallelix.node.gpu.chat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** A filter's or test's arguments, positional or by keyword, checked against its Python signature. */
record PyArgs(String function, List<Object> positional, Map<String, Object> keywords, List<String> names) {
    static PyArgs of(String function, List<Object> positional, Map<String, Object> keywords, String... names) {
        if (positional.size() > names.length) {
            throw new PyError("TypeError: " + function + "() takes at most " + names.length + " arguments");
        }
        Set<String> known = Set.of(names);
        for (String k : keywords.keySet()) {
            if (!known.contains(k))
                throw new PyError("TypeError: " + function + "() got an unexpected keyword '" + k + "'");
        }
        return new PyArgs(function, positional, keywords, List.of(names));
    }

    /** The argument, or {@code fallback} when it was not given. */
    @Nullable
    Object get(String name, @Nullable Object fallback) {
        int i = names.indexOf(name);
        if (i < positional.size()) return positional.get(i);
        return keywords.containsKey(name) ? keywords.get(name) : fallback;
    }

    boolean has(String name) {
        return names.indexOf(name) < positional.size() || keywords.containsKey(name);
    }
}
