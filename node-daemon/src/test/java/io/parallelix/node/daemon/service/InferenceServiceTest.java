package io.parallelix.node.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.parallelix.node.crypto.CryptoProvider;
import io.parallelix.node.crypto.EnvelopeVerifier;
import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.crypto.ResultSigner;
import io.parallelix.node.crypto.SigAlg;
import io.parallelix.node.daemon.TestNode;
import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.protocol.Task;
import io.parallelix.node.gpu.InferenceException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service alone: a fake engine, a steered clock, tasks run when the test says so. */
class InferenceServiceTest {
    private static NodeKey key;
    private static ResultSigner signer;

    record Echo(String requestId, @Nullable String modelSha256, String text) implements Task {}

    /** A runner that returns its text, and counts how often it ran. */
    private final AtomicInteger runs = new AtomicInteger();

    private final TaskRunner<Echo> echo = (task, ctx) -> {
        runs.incrementAndGet();
        return output(task.text().getBytes(StandardCharsets.UTF_8));
    };

    /** Runs queued work only when the test calls {@link #runAll}. */
    private final ArrayDeque<Runnable> queued = new ArrayDeque<>();

    private final Executor manual = queued::add;
    private final SteeredClock clock = new SteeredClock();

    @BeforeAll
    static void keys() throws Exception {
        key = TestNode.newKey();
        signer = new ResultSigner(key, SigAlg.PS256, CryptoProvider.JDK);
    }

    private static TaskOutput output(byte[] bytes) {
        return new TaskOutput(
                bytes, "text", FakeEngine.SHA256, "", new TaskOutput.EngineNanos(1_000, 2_000, 3_000, 4_000));
    }

    private InferenceService service(int capacity, Duration timeout, ReplayGuard replay) {
        return service(new ServiceLimits(capacity, timeout), replay);
    }

    private InferenceService service(ServiceLimits limits, ReplayGuard replay) {
        return new InferenceService(new InferenceService.Parts(
                new FakeEngine("m", "other"), signer, new NodeMetrics(), manual, clock, limits, replay));
    }

    private InferenceService service() {
        return service(2, Duration.ofSeconds(10), ReplayGuard.off(clock));
    }

    private static Submission<Echo> submission(String model, Echo task, TaskRunner<Echo> runner) {
        return new Submission<>(model, () -> task, runner, ChunkSink.NONE, new Cancellation());
    }

    private Submission<Echo> submission(String id) {
        return submission("m", new Echo(id, null, "hello " + id), echo);
    }

    private static boolean signedByTheNode(String requestId, SignedAnswer a) {
        return new EnvelopeVerifier(CryptoProvider.JDK)
                .verify(
                        requestId,
                        a.result(),
                        key.nodeId().hex(),
                        a.signed().poe(),
                        a.signed().sig(),
                        "PS256",
                        key.publicKey())
                .valid();
    }

    private void runAll() {
        for (Runnable r; (r = queued.poll()) != null; ) {
            r.run();
        }
    }

    private static ApiException failure(CompletableFuture<SignedAnswer> f) {
        assertThat(f).isCompletedExceptionally();
        try {
            f.join();
        } catch (CompletionException e) {
            return (ApiException) e.getCause();
        }
        throw new AssertionError("not failed");
    }

    @Test
    void submit_runsDecodesSignsAndCompletesOnce() {
        InferenceService s = service();
        CompletableFuture<SignedAnswer> f = s.submit(submission("r1"));
        assertThat(f).isNotDone();
        assertThat(s.inFlight()).isEqualTo(1);
        runAll();
        SignedAnswer a = f.join();
        assertThat(new String(a.result(), StandardCharsets.UTF_8)).isEqualTo("hello r1");
        assertThat(a.requestId()).isEqualTo("r1");
        assertThat(a.streamed()).isFalse();
        assertThat(a.meta().timingsUs().run()).isEqualTo(3);
        assertThat(signedByTheNode("r1", a)).isTrue();
        assertThat(s.inFlight()).isZero();
        assertThat(runs).hasValue(1);
    }

    @Test
    void submit_unknownModel_isNotFoundAtOnceAndNothingIsAdmitted() {
        InferenceService s = service();
        assertThatThrownBy(() -> s.submit(submission("zzz", new Echo("r", null, "x"), echo)))
                .isInstanceOf(ApiException.NotFound.class)
                .hasMessageContaining("zzz");
        assertThat(s.inFlight()).isZero();
        assertThat(queued).isEmpty();
    }

    @Test
    void submit_pastCapacity_isOverloadedAtOnce_andFreesWhenDone() {
        InferenceService s = service();
        s.submit(submission("a"));
        s.submit(submission("b"));
        assertThatThrownBy(() -> s.submit(submission("c"))).isInstanceOf(ApiException.Overloaded.class);
        s.submit(submission("other", new Echo("d", null, "x"), echo)); // another model has its own bound
        runAll();
        assertThat(s.submit(submission("e"))).isNotNull();
    }

    @Test
    void submit_whileDraining_isRefused_butAdmittedOnesComplete() throws Exception {
        InferenceService s = service();
        CompletableFuture<SignedAnswer> admitted = s.submit(submission("a"));
        s.beginDrain();
        assertThat(s.draining()).isTrue();
        assertThatThrownBy(() -> s.submit(submission("b")))
                .isInstanceOf(ApiException.Overloaded.class)
                .hasMessageContaining("shutting down");
        assertThat(s.awaitIdle(1)).isFalse();
        runAll();
        assertThat(admitted.join().requestId()).isEqualTo("a");
        assertThat(s.awaitIdle(1)).isTrue();
    }

    @Test
    void deadlinePassedWhileQueued_is504_andTheRunnerNeverRuns() {
        InferenceService s = service(2, Duration.ofSeconds(1), ReplayGuard.off(clock));
        CompletableFuture<SignedAnswer> f = s.submit(submission("late"));
        clock.advance(Duration.ofSeconds(2));
        runAll();
        assertThat(failure(f)).isInstanceOf(ApiException.DeadlineExceeded.class);
        assertThat(runs).hasValue(0);
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void runnerGetsTheDeadlineAndTheModel() {
        InferenceService s = service(2, Duration.ofSeconds(7), ReplayGuard.off(clock));
        Instant[] seen = new Instant[1];
        String[] model = new String[1];
        s.submit(submission("m", new Echo("r", null, "x"), (t, ctx) -> {
            seen[0] = ctx.deadline();
            model[0] = ctx.model().name();
            return output(new byte[0]);
        }));
        runAll();
        assertThat(seen[0]).isEqualTo(clock.instant().plusSeconds(7));
        assertThat(model[0]).isEqualTo("m");
    }

    @Test
    void cancelledBeforeItRuns_isClientClosed_andTheRunnerNeverRuns() {
        InferenceService s = service();
        Submission<Echo> sub = submission("gone");
        CompletableFuture<SignedAnswer> f = s.submit(sub);
        sub.cancellation().cancel();
        runAll();
        assertThat(failure(f)).isInstanceOf(ApiException.ClientClosed.class);
        assertThat(runs).hasValue(0);
        assertThat(s.inFlight()).isZero();
    }

    @Test
    void cancelledWhileStreaming_endsAtTheNextEmit() {
        InferenceService s = service();
        Cancellation cancel = new Cancellation();
        AtomicInteger steps = new AtomicInteger();
        TaskRunner<Echo> stream = (t, ctx) -> {
            for (int i = 0; i < 100; i++) {
                ctx.sink().emit(new byte[] {(byte) i});
                if (steps.incrementAndGet() == 3) {
                    cancel.cancel(); // the transport saw the client go
                }
            }
            return output(new byte[0]);
        };
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        CompletableFuture<SignedAnswer> f =
                s.submit(new Submission<>("m", () -> new Echo("s", null, ""), stream, client::writeBytes, cancel));
        runAll();
        assertThat(failure(f)).isInstanceOf(ApiException.ClientClosed.class);
        assertThat(steps).hasValue(3);
        assertThat(client.toByteArray()).containsExactly(0, 1, 2);
    }

    @Test
    void streamedResult_isExactlyTheBytesSent_thenTheLastPiece() {
        InferenceService s = service();
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        TaskRunner<Echo> stream = (t, ctx) -> {
            ctx.sink().emit("data: 1\n\n".getBytes(StandardCharsets.UTF_8));
            ctx.sink().emit("data: 2\n\n".getBytes(StandardCharsets.UTF_8));
            return output("data: end\n\n".getBytes(StandardCharsets.UTF_8));
        };
        CompletableFuture<SignedAnswer> f = s.submit(
                new Submission<>("m", () -> new Echo("s", null, ""), stream, client::writeBytes, new Cancellation()));
        runAll();
        SignedAnswer a = f.join();
        assertThat(a.streamed()).isTrue();
        assertThat(a.result()).isEqualTo(client.toByteArray());
        assertThat(new String(a.result(), StandardCharsets.UTF_8)).isEqualTo("data: 1\n\ndata: 2\n\ndata: end\n\n");
    }

    @Test
    void failures_completeExactlyOnce_andReleaseAdmission() {
        InferenceService s = service(1, Duration.ofSeconds(10), ReplayGuard.off(clock));
        TaskRunner<Echo> engineFails = (t, ctx) -> {
            throw new InferenceException.ModelFailed("boom", new RuntimeException("x"));
        };
        TaskRunner<Echo> bug = (t, ctx) -> {
            throw new IllegalStateException("bug");
        };
        CompletableFuture<SignedAnswer> a = s.submit(submission("m", new Echo("a", null, ""), engineFails));
        runAll();
        assertThat(failure(a))
                .isInstanceOf(ApiException.Internal.class)
                .extracting(ApiException::requestId)
                .isEqualTo("a");
        CompletableFuture<SignedAnswer> b = s.submit(submission("m", new Echo("b", null, ""), bug));
        runAll();
        assertThat(failure(b)).isInstanceOf(ApiException.Internal.class).hasMessage("internal error");
        CompletableFuture<SignedAnswer> c = s.submit(new Submission<>(
                "m",
                () -> {
                    throw new ApiException.BadRequest("inputs", "bad");
                },
                echo,
                ChunkSink.NONE,
                new Cancellation()));
        runAll();
        assertThat(failure(c)).isInstanceOf(ApiException.BadRequest.class);
        assertThat(s.inFlight()).isZero();
        assertThat(s.submit(submission("d"))).isNotNull(); // capacity 1 is free again
    }

    @Test
    void answer_completesAfterItsSlotIsFree_soTheClientsNextRequestIsAdmitted() {
        InferenceService s = service(1, Duration.ofSeconds(10), ReplayGuard.off(clock));
        CompletableFuture<SignedAnswer> first = s.submit(submission("one"));
        CompletableFuture<CompletableFuture<SignedAnswer>> next = first.thenApply(a -> s.submit(submission("two")));
        runAll(); // "one" completes on this thread; its callback submits at once
        assertThat(next.join()).isNotNull();
        runAll();
        assertThat(next.join().join().requestId()).isEqualTo("two");
    }

    @Test
    void modelPinMismatch_is409() {
        InferenceService s = service();
        CompletableFuture<SignedAnswer> f = s.submit(submission("m", new Echo("p", "00".repeat(32), "x"), echo));
        runAll();
        assertThat(failure(f))
                .isInstanceOfSatisfying(
                        ApiException.Conflict.class, e -> assertThat(e.code()).isEqualTo("model_pin_mismatch"));
        assertThat(runs).hasValue(0);
    }

    @Test
    void replay_refusesAnAnsweredId_butAFailedIdMayBeRetried() {
        InferenceService s = service(4, Duration.ofSeconds(10), new ReplayGuard(Duration.ofMinutes(5), 100, clock));
        CompletableFuture<SignedAnswer> first = s.submit(submission("once"));
        runAll();
        assertThat(first.join().requestId()).isEqualTo("once");
        CompletableFuture<SignedAnswer> again = s.submit(submission("once"));
        runAll();
        assertThat(failure(again))
                .isInstanceOfSatisfying(
                        ApiException.Conflict.class, e -> assertThat(e.code()).isEqualTo("replayed_request"));
        TaskRunner<Echo> fails = (t, ctx) -> {
            throw new InferenceException.DeadlineExceeded("slow");
        };
        CompletableFuture<SignedAnswer> failed = s.submit(submission("m", new Echo("retry", null, ""), fails));
        runAll();
        assertThat(failure(failed)).isInstanceOf(ApiException.DeadlineExceeded.class);
        CompletableFuture<SignedAnswer> retried = s.submit(submission("retry"));
        runAll();
        assertThat(retried.join().requestId()).isEqualTo("retry");
    }

    /** Whole answers, on whichever thread runs them (the tensor and embeddings runners' kind). */
    private final class WholeEcho implements TaskRunner<Echo> {
        final List<Thread> threads = new ArrayList<>();

        @Override
        public TaskOutput run(Echo task, TaskContext ctx) {
            threads.add(Thread.currentThread());
            return output(task.text().getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public boolean answersWhole() {
            return true;
        }
    }

    private InferenceService inlineService() {
        // JDK signatures take milliseconds: a bound no task here comes near
        return service(
                new ServiceLimits(4, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(5)),
                ReplayGuard.off(clock));
    }

    private static Submission<Echo> sized(String id, TaskRunner<Echo> runner, int bodyBytes) {
        return new Submission<>(
                "m", () -> new Echo(id, null, "hi " + id), runner, ChunkSink.NONE, new Cancellation(), null, bodyBytes);
    }

    @Test
    void inline_aMeasuredShortWholeTaskRunsOnTheSubmittingThread_andIsAnsweredAlike() {
        InferenceService s = inlineService();
        WholeEcho whole = new WholeEcho();
        for (int i = 0; i < InlineRuns.WARM_TASKS; i++) {
            CompletableFuture<SignedAnswer> f = s.submit(sized("w" + i, whole, 100));
            assertThat(f).as("measured on the workers first").isNotDone();
            runAll();
            assertThat(f.join().requestId()).isEqualTo("w" + i);
        }
        CompletableFuture<SignedAnswer> inline = s.submit(sized("in", whole, 100));
        assertThat(queued).isEmpty();
        assertThat(inline).isDone();
        assertThat(whole.threads).last().isSameAs(Thread.currentThread());
        SignedAnswer a = inline.join();
        assertThat(new String(a.result(), StandardCharsets.UTF_8)).isEqualTo("hi in");
        assertThat(a.meta().timingsUs().run()).isEqualTo(3);
        assertThat(signedByTheNode("in", a)).isTrue();
        assertThat(s.inFlight()).isZero();

        CompletableFuture<SignedAnswer> large = s.submit(sized("big", whole, InlineRuns.MAX_BODY_BYTES + 1));
        assertThat(large).as("a large body goes to a worker").isNotDone();
        CompletableFuture<SignedAnswer> behind = s.submit(sized("behind", whole, 100));
        assertThat(behind)
                .as("the model has a task on a worker: this one queues there too")
                .isNotDone();
        runAll();
        assertThat(large.join().requestId()).isEqualTo("big");
        assertThat(behind.join().requestId()).isEqualTo("behind");
        assertThat(s.submit(sized("again", whole, 100)))
                .as("the workers are done with the model")
                .isDone();
    }

    @Test
    void inline_theSignatureIsNotCountedAgainstTheBound() {
        // 500 µs: below any RSA-3072 signature the JDK makes, far above an echo task once warm
        long boundMicros = 500;
        InferenceService s = service(
                new ServiceLimits(
                        4, Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofNanos(boundMicros * 1_000)),
                ReplayGuard.off(clock));
        WholeEcho whole = new WholeEcho();
        CompletableFuture<SignedAnswer> f = CompletableFuture.failedFuture(new AssertionError("no task"));
        for (int i = 0; i < 20 * InlineRuns.WARM_TASKS; i++) {
            f = s.submit(sized("t" + i, whole, 100));
            if (f.isDone()) { // answered before any worker ran: inline
                break;
            }
            runAll();
        }
        assertThat(f)
                .as("a short task runs inline although its signature alone exceeds the bound")
                .isDone();
        assertThat(whole.threads).last().isSameAs(Thread.currentThread());
        assertThat(f.join().meta().timingsUs().sign()).isGreaterThan(boundMicros);
    }

    @Test
    void inline_streamingRunnersAndUnknownSizesAlwaysGoToAWorker() {
        InferenceService s = inlineService();
        WholeEcho whole = new WholeEcho();
        for (int i = 0; i < 2 * InlineRuns.WARM_TASKS; i++) {
            CompletableFuture<SignedAnswer> streaming = s.submit(sized("s" + i, echo, 100));
            CompletableFuture<SignedAnswer> unsized = s.submit(sized("u" + i, whole, Submission.UNKNOWN_SIZE));
            assertThat(streaming).isNotDone();
            assertThat(unsized).isNotDone();
            runAll();
            streaming.join();
            unsized.join();
        }
        assertThat(runs).hasValue(2 * InlineRuns.WARM_TASKS);
        assertThat(whole.threads).hasSize(2 * InlineRuns.WARM_TASKS);
    }

    @Test
    void inline_offByDefaultInTheseLimits() {
        InferenceService s = service(4, Duration.ofSeconds(10), ReplayGuard.off(clock));
        WholeEcho whole = new WholeEcho();
        for (int i = 0; i < 2 * InlineRuns.WARM_TASKS; i++) {
            CompletableFuture<SignedAnswer> f = s.submit(sized("o" + i, whole, 100));
            assertThat(f).isNotDone();
            runAll();
        }
    }
}
