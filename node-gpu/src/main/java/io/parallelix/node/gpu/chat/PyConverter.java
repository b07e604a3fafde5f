package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.el.TruthyTypeConverter;

/** EL's boolean coercion (the ternary {@code a if c else b}) with Python truthiness. */
final class PyConverter extends TruthyTypeConverter {
    private static final long serialVersionUID = 1L;

    @Override
    protected Boolean coerceToBoolean(Object value) {
        return PyValues.truthy(value);
    }
}
