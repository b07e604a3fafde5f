package io.parallelix.node.gpu.chat;

import java.util.AbstractList;
import java.util.List;

/** A Python tuple (from {@code dict.items()}): a read-only list that prints as {@code (a, b)}. */
final class PyTuple extends AbstractList<Object> {
    private final List<Object> items;

    PyTuple(List<Object> items) {
        this.items = List.copyOf(items);
    }

    @Override
    public Object get(int index) {
        return items.get(index);
    }

    @Override
    public int size() {
        return items.size();
    }
}
