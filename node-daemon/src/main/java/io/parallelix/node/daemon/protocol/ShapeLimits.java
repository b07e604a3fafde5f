package io.parallelix.node.daemon.protocol;

import io.parallelix.node.daemon.error.ApiException;
import java.util.List;

/** Shape arithmetic that cannot overflow silently. */
final class ShapeLimits {
    /** No tensor in a request can have more elements than a body can hold bytes. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE;

    private ShapeLimits() {}

    static long elementCount(List<Long> shape, String field) {
        long n = 1;
        for (long d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new ApiException.BadRequest(field, "element count overflows");
            }
            if (n > MAX_ELEMENTS) {
                throw new ApiException.BadRequest(field, "more than " + MAX_ELEMENTS + " elements");
            }
        }
        return n;
    }
}
