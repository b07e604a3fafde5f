package io.parallelix.node.gpu.chat;

import java.util.ArrayList;
import java.util.List;
import jinjava.de.odysseus.el.tree.Bindings;
import jinjava.de.odysseus.el.tree.impl.ast.AstNode;
import jinjava.de.odysseus.el.tree.impl.ast.AstRightValue;
import jinjava.javax.el.ELContext;
import org.jspecify.annotations.Nullable;

/** {@code seq[start:stop:step]} with Python's rules, on lists, tuples and strings (by code point). */
final class PySlice extends AstRightValue {
    private final AstNode base;
    private final @Nullable AstNode start;
    private final @Nullable AstNode stop;
    private final @Nullable AstNode step;

    PySlice(AstNode base, @Nullable AstNode start, @Nullable AstNode stop, @Nullable AstNode step) {
        this.base = base;
        this.start = start;
        this.stop = stop;
        this.step = step;
    }

    @Override
    public Object eval(Bindings bindings, ELContext context) {
        Object seq = base.eval(bindings, context);
        Long from = bound(start, bindings, context);
        Long to = bound(stop, bindings, context);
        Long by = bound(step, bindings, context);
        if (PyValues.isString(seq)) {
            int[] cps = seq.toString().codePoints().toArray();
            StringBuilder out = new StringBuilder();
            for (int i : indices(cps.length, from, to, by)) out.appendCodePoint(cps[i]);
            return out.toString();
        }
        if (seq instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i : indices(list.size(), from, to, by)) out.add(list.get(i));
            return seq instanceof PyTuple ? new PyTuple(out) : out;
        }
        throw new PyError("TypeError: '" + PyValues.typeName(seq) + "' object is not subscriptable");
    }

    private static @Nullable Long bound(@Nullable AstNode node, Bindings bindings, ELContext context) {
        if (node == null) return null;
        Object v = node.eval(bindings, context);
        if (v == PyNone.NONE) return null;
        return PyValues.toLong(v, "a slice index");
    }

    /** CPython's PySlice_AdjustIndices, then the walk. */
    static List<Integer> indices(int length, @Nullable Long start, @Nullable Long stop, @Nullable Long step) {
        long by = step == null ? 1 : step;
        if (by == 0) throw new PyError("ValueError: slice step cannot be zero");
        long lo = by < 0 ? -1 : 0;
        long hi = by < 0 ? length - 1 : length;
        long from = start == null ? (by < 0 ? hi : lo) : clamp(start, length, lo, hi);
        long to = stop == null ? (by < 0 ? lo : hi) : clamp(stop, length, lo, hi);
        List<Integer> out = new ArrayList<>();
        for (long i = from; by > 0 ? i < to : i > to; i += by) out.add((int) i);
        return out;
    }

    private static long clamp(long index, int length, long lo, long hi) {
        long i = index < 0 ? index + length : index;
        return Math.max(lo, Math.min(hi, i));
    }

    @Override
    public void appendStructure(StringBuilder builder, Bindings bindings) {
        base.appendStructure(builder, bindings);
        builder.append("[");
        if (start != null) start.appendStructure(builder, bindings);
        builder.append(":");
        if (stop != null) stop.appendStructure(builder, bindings);
        builder.append(":");
        if (step != null) step.appendStructure(builder, bindings);
        builder.append("]");
    }

    @Override
    public int getCardinality() {
        return 4;
    }

    @Override
    public @Nullable AstNode getChild(int i) {
        return switch (i) {
            case 0 -> base;
            case 1 -> start;
            case 2 -> stop;
            case 3 -> step;
            default -> null;
        };
    }
}
