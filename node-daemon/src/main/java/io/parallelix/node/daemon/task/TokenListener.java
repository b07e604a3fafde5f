package io.parallelix.node.daemon.task;

import io.parallelix.node.daemon.error.ApiException;
import io.parallelix.node.daemon.metrics.NodeMetrics;
import io.parallelix.node.daemon.service.TaskContext;
import io.parallelix.node.gpu.GeneratedToken;
import io.parallelix.node.gpu.GenerationListener;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What the runner does at every token, streamed or not: ends the generation at once when the
 * client went away or the deadline passed (a throw ends the engine's loop within that step),
 * counts the token and its latencies in the metrics, and keeps each token's text offset (the
 * characters, as code points, that its choice released before it: OpenAI's {@code text_offset}).
 * Confined to the worker running the task.
 */
class TokenListener implements GenerationListener {
    private final TaskContext context;
    private final NodeMetrics metrics;
    private final Clock clock;
    private final String model;
    private final long start = System.nanoTime();
    private final List<int[]> offsets = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private long last;
    private int released;
    private int choice = -1;

    int @Nullable [] promptIds;

    @Nullable
    String modelSha256;

    TokenListener(TaskContext context, NodeMetrics metrics, Clock clock) {
        this.context = context;
        this.metrics = metrics;
        this.clock = clock;
        this.model = context.model().name();
    }

    @Override
    public void started(int[] ids, String sha256) {
        promptIds = ids.clone();
        modelSha256 = sha256;
        metrics.promptTokens(model, ids.length);
    }

    @Override
    public final void token(GeneratedToken t) {
        context.cancellation().throwIfCancelled();
        if (clock.instant().isAfter(context.deadline())) {
            throw new ApiException.DeadlineExceeded("the generation passed its deadline");
        }
        long now = System.nanoTime();
        if (choice < 0) {
            metrics.timeToFirstToken(model, now - start);
        } else if (t.choice() == choice) {
            metrics.interTokenLatency(model, now - last);
        }
        last = now;
        metrics.generatedToken(model);
        boolean first = t.choice() != choice;
        if (first) {
            if (t.choice() != offsets.size()) {
                throw new ApiException.Internal(
                        "model_failed", "the engine reported choice " + t.choice() + " after choice " + choice, null);
            }
            choice = t.choice();
            offsets.add(new int[16]);
            counts.add(0);
            released = 0;
        }
        int k = counts.get(choice);
        int[] at = offsets.get(choice);
        if (k == at.length) {
            offsets.set(choice, at = Arrays.copyOf(at, k * 2));
        }
        at[k] = released;
        counts.set(choice, k + 1);
        onToken(t, first, released);
        released += t.text().codePointCount(0, t.text().length());
    }

    /** Streams write the token's event here; {@code offset}: its text_offset. */
    void onToken(GeneratedToken t, boolean firstOfChoice, int offset) {}

    /** Tokens reported for choice {@code c}. */
    final int tokens(int c) {
        return c < counts.size() ? counts.get(c) : 0;
    }

    /** Per choice, each token's text offset. */
    final List<int[]> offsets() {
        List<int[]> out = new ArrayList<>(offsets.size());
        for (int c = 0; c < offsets.size(); c++) {
            out.add(Arrays.copyOf(offsets.get(c), counts.get(c)));
        }
        return out;
    }
}
