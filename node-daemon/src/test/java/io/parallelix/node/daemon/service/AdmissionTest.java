package io.parallelix.node.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.daemon.error.ApiException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AdmissionTest {
    @Test
    void admit_pastCapacity_isOverloadedForThatModelOnly() {
        Admission a = new Admission(List.of("a", "b"), 2);
        a.admit("a");
        a.admit("a");
        assertThatThrownBy(() -> a.admit("a"))
                .isInstanceOfSatisfying(
                        ApiException.Overloaded.class,
                        e -> assertThat(e.retryAfterSeconds()).isPositive());
        a.admit("b");
        a.release("a");
        a.admit("a");
        assertThat(a.total()).isEqualTo(3);
    }

    @Test
    void admit_unknownModel_isABugNotAClientError() {
        // the service answers 404 for an unknown model before admission (InferenceServiceTest)
        Admission a = new Admission(List.of("a"), 1);
        assertThatThrownBy(() -> a.admit("zzz")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void admit_afterClose_isRefusedButAdmittedOnesStillDrain() throws Exception {
        Admission a = new Admission(List.of("a"), 4);
        a.admit("a");
        a.close();
        assertThatThrownBy(() -> a.admit("a"))
                .isInstanceOf(ApiException.Overloaded.class)
                .hasMessageContaining("shutting down");
        assertThat(a.awaitEmpty(10)).isFalse();
        CountDownLatch released = new CountDownLatch(1);
        Thread t = new Thread(() -> {
            a.release("a");
            released.countDown();
        });
        t.start();
        assertThat(a.awaitEmpty(5_000)).isTrue();
        assertThat(released.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
