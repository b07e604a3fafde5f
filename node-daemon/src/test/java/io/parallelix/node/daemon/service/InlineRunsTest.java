package io.parallelix.node.daemon.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.parallelix.node.daemon.protocol.Task;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.ModelTask;
import java.time.Duration;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/** The inline decision alone, with the task times given by the test. */
class InlineRunsTest {
    private static final long MS = 1_000_000;

    record Plain(String requestId, @Nullable String modelSha256) implements Task {}

    /** A runner that answers whole (the tensor and embeddings runners' kind). */
    private static final TaskRunner<Plain> WHOLE = new TaskRunner<>() {
        @Override
        public TaskOutput run(Plain task, TaskContext context) {
            throw new AssertionError("not run here");
        }

        @Override
        public boolean answersWhole() {
            return true;
        }
    };

    /** A lambda: may stream, like the generation runner. */
    private static final TaskRunner<Plain> STREAMING = (task, context) -> {
        throw new AssertionError("not run here");
    };

    private static Submission<Plain> task(TaskRunner<Plain> runner, int bodyBytes) {
        return new Submission<>(
                "m", () -> new Plain("r", null), runner, ChunkSink.NONE, new Cancellation(), null, bodyBytes);
    }

    private static Submission<Plain> small() {
        return task(WHOLE, 200);
    }

    /** A model on the CPU (no device ids), or on device 0. */
    private static ModelInfo model(String name, boolean cpu) {
        return new ModelInfo(
                name,
                FakeEngine.SHA256,
                List.of(),
                List.of(),
                cpu ? "CPUExecutionProvider" : "CUDAExecutionProvider",
                cpu ? List.of() : List.of(0),
                1,
                true,
                true,
                ModelTask.TENSOR,
                null,
                null);
    }

    private static InlineRuns twoMillis() {
        return new InlineRuns(Duration.ofMillis(2), List.of(model("m", true), model("other", true)));
    }

    private static void observe(InlineRuns r, int times, long nanos) {
        for (int i = 0; i < times; i++) {
            r.observe("m", small(), nanos);
        }
    }

    @Test
    void aModelRunsInlineOnlyOnceItsFirstTasksWereMeasuredShort() {
        InlineRuns r = twoMillis();
        assertThat(r.allows("m", small())).isFalse();
        observe(r, InlineRuns.WARM_TASKS - 1, MS);
        assertThat(r.allows("m", small())).isFalse();
        observe(r, 1, MS);
        assertThat(r.allows("m", small())).isTrue();
        assertThat(r.allows("other", small())).as("measured per model").isFalse();
        assertThat(r.allows("unknown", small())).isFalse();
    }

    @Test
    void aModelWhoseTasksTakeLongerThanTheMaximumStaysOnTheWorkers() {
        InlineRuns r = twoMillis();
        observe(r, 40, 3 * MS);
        assertThat(r.allows("m", small())).isFalse();
    }

    @Test
    void oneSlowTaskSendsTheNextOnesToTheWorkers_fastOnesBringTheModelBack() {
        InlineRuns r = twoMillis();
        observe(r, 20, MS);
        assertThat(r.allows("m", small())).isTrue();
        observe(r, 1, 100 * MS); // the average jumps to ~13 ms
        assertThat(r.allows("m", small())).isFalse();
        observe(r, 10, MS);
        assertThat(r.allows("m", small())).as("still above 2 ms on average").isFalse();
        observe(r, 30, MS);
        assertThat(r.allows("m", small())).isTrue();
    }

    @Test
    void streamsLargeBodiesAndUnknownSizesNeverRunInline() {
        InlineRuns r = twoMillis();
        observe(r, 20, MS);
        assertThat(r.allows("m", task(STREAMING, 200))).isFalse();
        assertThat(r.allows("m", task(WHOLE, InlineRuns.MAX_BODY_BYTES))).isTrue();
        assertThat(r.allows("m", task(WHOLE, InlineRuns.MAX_BODY_BYTES + 1))).isFalse();
        assertThat(r.allows("m", task(WHOLE, Submission.UNKNOWN_SIZE))).isFalse();
    }

    @Test
    void onlySmallWholeTasksCountTowardsTheAverage() {
        InlineRuns r = twoMillis();
        observe(r, 20, MS);
        for (int i = 0; i < 20; i++) { // slow, but neither of these could run inline: they do not count
            r.observe("m", task(STREAMING, 200), 500 * MS);
            r.observe("m", task(WHOLE, InlineRuns.MAX_BODY_BYTES + 1), 500 * MS);
        }
        assertThat(r.allows("m", small())).isTrue();
    }

    @Test
    void zeroTurnsItOff() {
        InlineRuns r = new InlineRuns(Duration.ZERO, List.of(model("m", true)));
        observe(r, 40, 1);
        assertThat(r.allows("m", small())).isFalse();
        assertThat(r.start("m", small())).isEqualTo(InlineRuns.NOT_TIMED);
    }

    /** Times 20 tasks that each wait 5 ms without computing, as a task does while the cores are busy. */
    private static void waitingTasks(InlineRuns r, String model) throws InterruptedException {
        for (int i = 0; i < 20; i++) {
            Submission<Plain> s = task(WHOLE, 200);
            long started = r.start(model, s);
            Thread.sleep(5);
            r.finish(model, s, started);
        }
    }

    @Test
    void aCpuModelIsTimedInItsThreadsCpuTime_aDeviceModelByTheWallClock() throws Exception {
        InlineRuns r = new InlineRuns(Duration.ofMillis(2), List.of(model("cpu", true), model("gpu", false)));
        waitingTasks(r, "cpu");
        waitingTasks(r, "gpu");
        assertThat(r.allows("cpu", small())).as("5 ms asleep: no CPU time").isTrue();
        assertThat(r.allows("gpu", small()))
                .as("5 ms of wall time: the loop would wait that long")
                .isFalse();
    }

    @Test
    void everyTaskIsTimedUntilWarm_evenPastFailedOnes_thenOneInEight() {
        InlineRuns r = twoMillis();
        for (int i = 0; i < 100; i++) { // failed tasks: started, never finished
            assertThat(r.start("m", small())).isNotEqualTo(InlineRuns.NOT_TIMED);
        }
        for (int i = 0; i < InlineRuns.WARM_TASKS; i++) {
            Submission<Plain> s = small();
            long started = r.start("m", s);
            assertThat(started).isNotEqualTo(InlineRuns.NOT_TIMED);
            r.finish("m", s, started);
        }
        assertThat(r.allows("m", small())).isTrue();
        int timed = 0;
        for (int i = 0; i < InlineRuns.SAMPLE_EVERY * 10; i++) {
            if (r.start("m", small()) != InlineRuns.NOT_TIMED) {
                timed++;
            }
        }
        assertThat(timed).isEqualTo(10);
    }

    @Test
    void whileATaskOfTheModelThatMayTakeLongIsOnAWorker_theSmallOnesGoThereToo() {
        InlineRuns r = twoMillis();
        observe(r, 20, MS);
        assertThat(r.toWorker("m", small()))
                .as("a small whole task does not hold the model back")
                .isFalse();
        assertThat(r.allows("m", small())).isTrue();
        assertThat(r.toWorker("m", task(WHOLE, InlineRuns.MAX_BODY_BYTES + 1))).isTrue();
        assertThat(r.allows("m", small()))
                .as("it may hold a session permit for long")
                .isFalse();
        assertThat(r.toWorker("m", task(STREAMING, 200))).isTrue();
        r.leftWorker("m");
        assertThat(r.allows("m", small())).isFalse();
        r.leftWorker("m");
        assertThat(r.allows("m", small())).isTrue();
        assertThat(new InlineRuns(Duration.ZERO, List.of(model("m", true))).toWorker("m", task(STREAMING, 200)))
                .as("off: nothing counted")
                .isFalse();
    }
}
