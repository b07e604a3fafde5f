package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.util.Iterator;
import java.util.List;

/**
 * What {@code select}, {@code map} and friends return in Jinja2: a generator. It iterates (and
 * feeds {@code list}, {@code join}, {@code first}, {@code for}), is always true, has no length
 * and cannot be printed, exactly the limits Python puts on it.
 */
final class PyGenerator implements Iterable<Object>, HasObjectTruthValue {
    private final List<Object> items;

    PyGenerator(List<Object> items) {
        this.items = List.copyOf(items);
    }

    @Override
    public Iterator<Object> iterator() {
        return items.iterator();
    }

    @Override
    public boolean getObjectTruthValue() {
        return true;
    }
}
