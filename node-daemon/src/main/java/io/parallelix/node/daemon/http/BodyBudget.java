package io.parallelix.node.daemon.http;

import io.netty.util.internal.PlatformDependent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes the whole node holds at once (server.max_body_bytes_in_flight), shared
 * by every listener and connection: a body is admitted only if its bytes fit, else it is refused
 * before it is read ({@link BodyGate}). Without it, each of max_connections connections may hold
 * max_body_bytes, far more than the direct memory the bodies arrive in.
 */
public final class BodyBudget {
    private final long max;
    private final AtomicLong held = new AtomicLong();

    private BodyBudget(long max) {
        this.max = max;
    }

    /**
     * configured bytes, or for 0 half of the smaller of the heap limit and Netty's direct-memory
     * limit (bodies arrive in direct buffers and are decoded onto the heap), at least maxBodyBytes
     * so that one body of the largest admissible size always fits.
     */
    public static BodyBudget sized(long configured, int maxBodyBytes, long maxHeap, long maxDirect) {
        if (configured > 0) {
            return new BodyBudget(configured); // NodeConfig checked it is at least max_body_bytes
        }
        return new BodyBudget(Math.max(maxBodyBytes, Math.min(maxHeap, maxDirect) / 2));
    }

    /** {@link #sized} with this JVM's limits (-Xmx, -XX:MaxDirectMemorySize or io.netty.maxDirectMemory). */
    public static BodyBudget forThisJvm(long configured, int maxBodyBytes) {
        return sized(configured, maxBodyBytes, Runtime.getRuntime().maxMemory(), PlatformDependent.maxDirectMemory());
    }

    /** Holds {@code bytes} if they fit next to what is held; false (holding nothing) if not. */
    boolean tryReserve(long bytes) {
        long now;
        do {
            now = held.get();
            if (now + bytes > max) {
                return false;
            }
        } while (!held.compareAndSet(now, now + bytes));
        return true;
    }

    void release(long bytes) {
        held.addAndGet(-bytes);
    }

    public long max() {
        return max;
    }

    long held() {
        return held.get();
    }
}
