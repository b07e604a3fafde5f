package io.parallelix.node.daemon.service;

import io.parallelix.node.daemon.error.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Refuses a request_id that already produced an envelope within the window (409). An id is
 * claimed when its request is decoded and forgotten again if the request fails, so a coordinator
 * may retry a failed id; two concurrent requests with one id: the second is refused. Bounded:
 * beyond {@code capacity} ids the oldest are forgotten even inside the window.
 */
public final class ReplayGuard {
    private final long windowMillis;
    private final int capacity;
    private final Clock clock;
    private final LinkedHashMap<String, Long> expiries = new LinkedHashMap<>();

    public ReplayGuard(Duration window, int capacity, Clock clock) {
        this.windowMillis = window.toMillis();
        this.capacity = capacity;
        this.clock = clock;
    }

    /** A guard that remembers nothing (replay_window: 0s). */
    public static ReplayGuard off(Clock clock) {
        return new ReplayGuard(Duration.ZERO, 1, clock);
    }

    boolean enabled() {
        return windowMillis > 0;
    }

    void claim(String requestId) {
        if (!enabled()) {
            return;
        }
        long now = clock.millis();
        synchronized (expiries) {
            purge(now);
            Long until = expiries.get(requestId);
            if (until != null) {
                throw new ApiException.Conflict(
                        "replayed_request",
                        "request_id '" + requestId + "' was already answered within the last "
                                + Duration.ofMillis(windowMillis) + "; use a new id");
            }
            expiries.put(requestId, now + windowMillis);
            if (expiries.size() > capacity) {
                Iterator<String> oldest = expiries.keySet().iterator();
                oldest.next();
                oldest.remove();
            }
        }
    }

    void forget(String requestId) {
        if (!enabled()) {
            return;
        }
        synchronized (expiries) {
            expiries.remove(requestId);
        }
    }

    /** Entries are in claim order, so expired ones are at the head. */
    private void purge(long now) {
        Iterator<Map.Entry<String, Long>> it = expiries.entrySet().iterator();
        while (it.hasNext() && it.next().getValue() <= now) {
            it.remove();
        }
    }
}
