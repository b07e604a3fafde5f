package io.parallelix.node.gpu.chat;

import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.util.Iterator;

/**
 * Python's {@code None}. Java {@code null} means undefined in this package (Jinjava resolves an
 * unknown name to null), so None needs a value of its own: it prints "None", is false, is not
 * iterable, and {@code is defined} holds for it.
 */
enum PyNone implements HasObjectTruthValue, Iterable<Object> {
    NONE;

    @Override
    public boolean getObjectTruthValue() {
        return false;
    }

    @Override
    public Iterator<Object> iterator() {
        throw new PyError("TypeError: 'NoneType' object is not iterable");
    }

    @Override
    public String toString() {
        return "None";
    }
}
