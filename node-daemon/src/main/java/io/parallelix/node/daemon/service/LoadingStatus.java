package io.parallelix.node.daemon.service;

import io.parallelix.node.gpu.LoadListener;
import io.parallelix.node.gpu.LoadProgress;
import io.parallelix.node.gpu.LoadStage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * How the engine's opening goes, written by the opening thread (a LoadListener) and read by the
 * health endpoints and the load log, so that a loading node says which model it is on and why it
 * is not ready yet. Holds one entry per model found: bounded by the repository.
 */
public final class LoadingStatus implements LoadListener {
    private volatile List<String> names = List.of();
    private final Map<String, LoadProgress> byModel = new ConcurrentHashMap<>();
    private volatile @Nullable LoadProgress current;

    @Override
    public void models(List<String> found) {
        names = List.copyOf(found);
    }

    @Override
    public void progress(LoadProgress progress) {
        byModel.put(progress.model(), progress);
        current = progress;
    }

    /** The model loading now (or the last to report), null before the first report. */
    public @Nullable LoadProgress current() {
        return current;
    }

    /** Every model found, in load order, with its progress; empty before the repository is scanned. */
    public List<LoadProgress> models() {
        List<String> all = names;
        return java.util.stream.IntStream.range(0, all.size())
                .mapToObj(i -> {
                    LoadProgress p = byModel.get(all.get(i));
                    return p != null ? p : new LoadProgress(all.get(i), i + 1, all.size(), LoadStage.WAITING, 0, 0);
                })
                .toList();
    }

    /** Why the node is not ready yet, in one line for a probe's reader. */
    public String reason() {
        LoadProgress p = current;
        return p == null
                ? "the node is starting: its models are loading"
                : p.stage() == LoadStage.READY && p.index() == p.count()
                        ? "the node is starting: its models are loaded, the service is starting"
                        : "the node is starting: " + describe(p);
    }

    /**
     * "model 'llama' (2 of 3): hashing, 1.2 GiB of 4.0 GiB (30%)" (the load log's and the health
     * endpoints' words; the stage is its wire name).
     */
    public static String describe(LoadProgress p) {
        String head = "model '" + p.model() + "' (" + p.index() + " of " + p.count() + "): "
                + p.stage().wireName();
        if (p.stage() != LoadStage.HASHING) {
            return head;
        }
        long percent = p.bytesTotal() == 0 ? 100 : Math.min(100, p.bytesHashed() * 100 / p.bytesTotal());
        return head + ", " + bytes(p.bytesHashed()) + " of " + bytes(p.bytesTotal()) + " (" + percent + "%)";
    }

    /** 1023 B, 1.5 KiB, 12.0 MiB, 4.2 GiB: binary units, one decimal. */
    public static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
