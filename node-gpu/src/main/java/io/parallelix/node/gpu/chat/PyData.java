package io.parallelix.node.gpu.chat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Template variables from Java or JSON into {@link PyValues}: null is None, numbers Long/Double. */
final class PyData {
    private PyData() {}

    static Object fromJava(@Nullable Object v) {
        if (v == null) return PyNone.NONE;
        if (v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) return v;
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
        if (v instanceof Float f) return (double) f;
        if (v instanceof JsonNode n) return fromJson(n);
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object o : list) out.add(fromJava(o));
            return out;
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String k)) throw new IllegalArgumentException("a dict key is not a string");
                out.put(k, fromJava(e.getValue()));
            }
            return out;
        }
        throw new IllegalArgumentException(
                "no Python value for a " + v.getClass().getSimpleName());
    }

    static Object fromJson(JsonNode n) {
        if (n.isNull() || n.isMissingNode()) return PyNone.NONE;
        if (n.isTextual()) return n.asText();
        if (n.isBoolean()) return n.asBoolean();
        if (n.isIntegralNumber()) {
            BigInteger i = n.bigIntegerValue();
            if (i.bitLength() > 63) throw new IllegalArgumentException("an integer beyond 64 bits: " + i);
            return i.longValue();
        }
        if (n.isNumber()) {
            BigDecimal d = n.decimalValue();
            return d.doubleValue();
        }
        if (n.isArray()) {
            List<Object> out = new ArrayList<>(n.size());
            n.forEach(e -> out.add(fromJson(e)));
            return out;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), fromJson(e.getValue())));
        return out;
    }
}
