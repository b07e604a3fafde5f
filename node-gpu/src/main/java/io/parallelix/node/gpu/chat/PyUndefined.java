package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.util.Collections;
import java.util.Iterator;

/**
 * Jinja2's default {@code Undefined} for a missing name, key or attribute: prints "", is false,
 * iterates as empty; any attribute or item of it raises, as in Jinja2. (A bare Java null from
 * Jinjava's own evaluation is treated the same way.)
 */
record PyUndefined(String name) implements HasObjectTruthValue, Iterable<Object> {
    @Override
    public boolean getObjectTruthValue() {
        return false;
    }

    @Override
    public Iterator<Object> iterator() {
        return Collections.emptyIterator();
    }

    PyError fail() {
        return new PyError("UndefinedError: '" + name + "' is undefined");
    }

    @Override
    public String toString() {
        return "";
    }
}
