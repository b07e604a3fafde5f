package io.parallelix.node.gpu;

import java.util.List;

/** Shape arithmetic shared by validation and encoding. */
final class Shapes {
    private Shapes() {}

    /** The product of the dims, or -1 if a dim is negative or the product overflows a long. */
    static long elementCount(List<Long> shape) {
        if (shape.stream().anyMatch(d -> d < 0)) {
            return -1;
        }
        if (shape.contains(0L)) {
            return 0;
        }
        long n = 1;
        for (long d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    static long[] toArray(List<Long> shape) {
        long[] dims = new long[shape.size()];
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i);
        }
        return dims;
    }
}
