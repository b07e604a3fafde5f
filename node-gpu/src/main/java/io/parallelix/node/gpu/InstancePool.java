package io.parallelix.node.gpu;

import io.parallelix.node.gpu.InferenceException.DeadlineExceeded;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model's session instances (instances x devices). Each request goes to the least-loaded one and
 * waits there for a permit until its deadline.
 */
final class InstancePool implements AutoCloseable {
    private final String model;
    private final List<SessionInstance> instances;
    private final AtomicInteger rotation = new AtomicInteger();

    InstancePool(String model, List<SessionInstance> instances) {
        if (instances.isEmpty()) {
            throw new IllegalArgumentException("a model needs at least one session instance");
        }
        this.model = model;
        this.instances = List.copyOf(instances);
    }

    /** A permit on one instance; close it to give the permit back. */
    static final class Lease implements AutoCloseable {
        private final SessionInstance instance;

        private Lease(SessionInstance instance) {
            this.instance = instance;
        }

        SessionInstance instance() {
            return instance;
        }

        @Override
        public void close() {
            instance.release();
            instance.leave();
        }
    }

    Lease lease(Clock clock, Instant deadline) throws DeadlineExceeded {
        SessionInstance chosen = leastLoaded();
        chosen.enter();
        boolean acquired = false;
        try {
            long nanos = Deadlines.remainingNanos(clock, deadline);
            acquired = nanos > 0 && chosen.tryAcquire(nanos);
            if (!acquired) {
                throw new DeadlineExceeded("deadline passed while waiting for a free session of model '" + model + "'");
            }
            return new Lease(chosen);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DeadlineExceeded("interrupted while waiting for a session of model '" + model + "'");
        } finally {
            if (!acquired) {
                chosen.leave();
            }
        }
    }

    List<SessionInstance> instances() {
        return instances;
    }

    /** Runs in progress or waiting, over every instance: tests check that none is left behind. */
    int inFlight() {
        return instances.stream().mapToInt(SessionInstance::inFlight).sum();
    }

    /** Ties rotate, so idle instances share the work instead of the first taking it all. */
    private SessionInstance leastLoaded() {
        int start = Math.floorMod(rotation.getAndIncrement(), instances.size());
        SessionInstance best = instances.get(start);
        for (int i = 1; i < instances.size(); i++) {
            SessionInstance candidate = instances.get((start + i) % instances.size());
            if (candidate.inFlight() < best.inFlight()) {
                best = candidate;
            }
        }
        return best;
    }

    @Override
    public void close() {
        instances.forEach(SessionInstance::close);
    }
}
