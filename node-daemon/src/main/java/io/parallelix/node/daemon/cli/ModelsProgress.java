package io.parallelix.node.daemon.cli;

import io.parallelix.node.daemon.service.LoadingStatus;
import io.parallelix.node.gpu.ByteProgress;
import io.parallelix.node.gpu.LoadListener;
import io.parallelix.node.gpu.LoadProgress;
import io.parallelix.node.gpu.LoadStage;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress of the long steps of pxnode models (copying, hashing, the load check) on stderr: a bar
 * redrawn in place on a terminal, plain lines at every tenth otherwise (a log, a pipe). Output is
 * bounded by the step, never by the file's size: at most 101 redraws or 11 lines per step, and
 * none for steps under {@code minBytes}.
 */
final class ModelsProgress {
    static final long DEFAULT_MIN_BYTES = 16L << 20;
    private static final int BAR = 30;

    private final PrintWriter err;
    private final boolean terminal;
    private final long minBytes;

    ModelsProgress(PrintWriter err, boolean terminal, long minBytes) {
        this.err = err;
        this.terminal = terminal;
        this.minBytes = minBytes;
    }

    /** A progress for one step ("copying add", "hashing add"); call its bytes(total, total) to finish it. */
    ByteProgress step(String label) {
        return new Step(label);
    }

    /** The load check's stages as lines, its hashing as a step. */
    LoadListener load() {
        return new LoadListener() {
            private ByteProgress hashing = ByteProgress.NONE;

            @Override
            public void progress(LoadProgress p) {
                if (p.stage() == LoadStage.HASHING) {
                    if (p.bytesTotal() == 0 && p.bytesHashed() == 0) {
                        hashing = step("hashing " + p.model());
                    }
                    hashing.bytes(p.bytesHashed(), p.bytesTotal());
                } else if (p.stage() != LoadStage.WAITING) {
                    err.println("checking " + LoadingStatus.describe(p));
                    err.flush();
                }
            }
        };
    }

    /** "[#########.....................]  30%  1.2 GiB of 4.0 GiB" */
    static String bar(long done, long total) {
        int percent = percent(done, total);
        int filled = percent * BAR / 100;
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", percent) + "  " + LoadingStatus.bytes(done) + " of "
                + LoadingStatus.bytes(total);
    }

    /** "hashing add: 30% (1.2 GiB of 4.0 GiB)" */
    static String line(String label, long done, long total) {
        return label + ": " + percent(done, total) + "% (" + LoadingStatus.bytes(done) + " of "
                + LoadingStatus.bytes(total) + ")";
    }

    private static int percent(long done, long total) {
        return total <= 0 ? 100 : (int) Math.min(100, Math.max(0, done * 100 / total));
    }

    private final class Step implements ByteProgress {
        private final String label;
        private int shown = -1;
        private boolean finished;

        Step(String label) {
            this.label = label;
        }

        @Override
        public void bytes(long done, long total) {
            if (finished || total < minBytes) {
                return;
            }
            int percent = percent(done, total);
            boolean end = done >= total;
            if (terminal) {
                if (percent != shown || end) {
                    err.print("\r" + label + " " + bar(done, total));
                    if (end) {
                        err.println();
                    }
                    err.flush();
                }
            } else if (percent / 10 != shown / 10 || shown < 0 || end) {
                err.println(line(label, done, total));
                err.flush();
            }
            shown = percent;
            finished = end;
        }
    }
}
