package io.parallelix.node.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.daemon.error.ApiException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReplayGuardTest {
    private static final Duration WINDOW = Duration.ofSeconds(10);

    private final SteeredClock clock = new SteeredClock();

    private static void assertRefused(ReplayGuard guard, String id) {
        assertThatThrownBy(() -> guard.claim(id))
                .as(id)
                .isInstanceOfSatisfying(
                        ApiException.Conflict.class, e -> assertThat(e.code()).isEqualTo("replayed_request"))
                .hasMessageContaining("'" + id + "'");
    }

    @Test
    void claim_sameIdWithinTheWindow_isRefusedAsReplay() {
        ReplayGuard guard = new ReplayGuard(WINDOW, 100, clock);
        guard.claim("r-1");
        clock.advance(WINDOW.minusMillis(1));

        assertRefused(guard, "r-1");
        assertThatCode(() -> guard.claim("r-2")).doesNotThrowAnyException();
    }

    @Test
    void claim_sameIdOnceTheWindowHasPassed_isAccepted() {
        ReplayGuard guard = new ReplayGuard(WINDOW, 100, clock);
        guard.claim("r-1");
        clock.advance(WINDOW);

        assertThatCode(() -> guard.claim("r-1")).doesNotThrowAnyException();
        assertRefused(guard, "r-1"); // the new claim starts a window of its own
    }

    @Test
    void claim_beyondCapacity_forgetsTheOldestInsideTheWindow() {
        ReplayGuard guard = new ReplayGuard(WINDOW, 2, clock);
        guard.claim("r-1");
        guard.claim("r-2");
        guard.claim("r-3");

        assertRefused(guard, "r-2");
        assertRefused(guard, "r-3");
        assertThatCode(() -> guard.claim("r-1")).doesNotThrowAnyException();
        assertRefused(guard, "r-3"); // claiming r-1 again pushed r-2 out, not r-3
        assertThatCode(() -> guard.claim("r-2")).doesNotThrowAnyException();
    }

    @Test
    void forget_thenClaimAgain_isAccepted() {
        ReplayGuard guard = new ReplayGuard(WINDOW, 100, clock);
        guard.claim("r-1");
        guard.claim("r-2");

        guard.forget("r-1");
        guard.forget("never-claimed");

        assertThatCode(() -> guard.claim("r-1")).doesNotThrowAnyException();
        assertRefused(guard, "r-1");
        assertRefused(guard, "r-2");
    }

    @Test
    void off_sameIdAnyNumberOfTimes_isNeverRefused() {
        ReplayGuard guard = ReplayGuard.off(clock);

        assertThat(guard.enabled()).isFalse();
        for (int i = 0; i < 3; i++) {
            assertThatCode(() -> guard.claim("r-1")).doesNotThrowAnyException();
        }
        guard.forget("r-1");
        assertThatCode(() -> guard.claim("r-1")).doesNotThrowAnyException();
    }

    @Test
    void claim_concurrentDuplicates_exactlyOneIsAccepted() throws Exception {
        ReplayGuard guard = new ReplayGuard(WINDOW, 1000, clock);
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            for (int round = 0; round < 50; round++) {
                String id = "same-" + round;
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> claims = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    claims.add(pool.submit(() -> {
                        go.await();
                        try {
                            guard.claim(id);
                            return true;
                        } catch (ApiException.Conflict e) {
                            return false;
                        }
                    }));
                }
                go.countDown();
                int accepted = 0;
                for (Future<Boolean> c : claims) {
                    accepted += c.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertThat(accepted).as("claims of %s accepted", id).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
