package io.parallelix.node.daemon.service;

import io.parallelix.node.daemon.error.ApiException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Bounded admission per model. A full model answers 503 at once instead of queueing without
 * bound; after close() everything new is refused, and awaitEmpty() lets shutdown drain. Callers
 * checked that the model is served (the service does, once).
 */
final class Admission {
    private final Map<String, AtomicInteger> perModel;
    private final int capacity;
    private final Object lock = new Object();
    private int total;
    private boolean closed;

    Admission(List<String> models, int capacity) {
        this.perModel =
                models.stream().collect(Collectors.toUnmodifiableMap(Function.identity(), m -> new AtomicInteger()));
        this.capacity = capacity;
    }

    void admit(String model) {
        AtomicInteger count = perModel.get(model);
        if (count == null) {
            throw new IllegalArgumentException("not a served model: " + model);
        }
        synchronized (lock) {
            if (closed) {
                throw new ApiException.Overloaded("the node is shutting down", 5);
            }
            if (count.get() >= capacity) {
                throw new ApiException.Overloaded(
                        "model '" + model + "' has " + capacity + " requests queued; try again shortly", 1);
            }
            count.incrementAndGet();
            total++;
        }
    }

    void release(String model) {
        AtomicInteger count = perModel.get(model);
        if (count == null) {
            return;
        }
        synchronized (lock) {
            count.decrementAndGet();
            if (--total == 0) {
                lock.notifyAll();
            }
        }
    }

    int depth(String model) {
        AtomicInteger count = perModel.get(model);
        return count == null ? 0 : count.get();
    }

    int total() {
        synchronized (lock) {
            return total;
        }
    }

    void close() {
        synchronized (lock) {
            closed = true;
        }
    }

    boolean closed() {
        synchronized (lock) {
            return closed;
        }
    }

    boolean awaitEmpty(long timeoutMillis) throws InterruptedException {
        long end = System.nanoTime() + timeoutMillis * 1_000_000;
        synchronized (lock) {
            while (total > 0) {
                long left = (end - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }
}
