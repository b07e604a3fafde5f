package io.parallelix.node.daemon.hardening;

import io.netty.buffer.AbstractByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Listens to Netty's ByteBuf leak detector (the one every allocator reports to) for the tests of
 * this JVM, which run with {@code -Dio.netty.leakDetectionLevel=paranoid}. Netty reports a leak
 * only after the leaked buffer was garbage-collected and the next buffer is allocated, so
 * {@link #leaks()} collects garbage and allocates before it answers. The listener gets exactly
 * what Netty logs as {@code LEAK: ...}.
 */
final class LeakWatch implements ResourceLeakDetector.LeakListener, AutoCloseable {
    private final List<String> leaks = new CopyOnWriteArrayList<>();
    private final ResourceLeakDetector<?> detector;

    private LeakWatch(ResourceLeakDetector<?> detector) {
        this.detector = detector;
    }

    static LeakWatch install() {
        try {
            Field f = AbstractByteBuf.class.getDeclaredField("leakDetector");
            f.setAccessible(true);
            LeakWatch watch = new LeakWatch((ResourceLeakDetector<?>) f.get(null));
            watch.detector.setLeakListener(watch);
            return watch;
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("cannot reach Netty's ByteBuf leak detector", e);
        }
    }

    @Override
    public void onLeak(String resourceType, String records) {
        leaks.add("LEAK: " + resourceType + "\n" + records);
    }

    /** Every leak reported so far, after giving the detector its chance to find them. */
    List<String> leaks() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            for (ByteBufAllocator a : List.of(
                    ByteBufAllocator.DEFAULT, PooledByteBufAllocator.DEFAULT, UnpooledByteBufAllocator.DEFAULT)) {
                a.directBuffer(1).release();
                a.heapBuffer(1).release();
            }
        }
        return List.copyOf(leaks);
    }

    @Override
    public void close() {
        detector.setLeakListener(null);
    }
}
