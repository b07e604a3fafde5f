package io.parallelix.node.daemon.bench;

import ai.onnxruntime.OrtException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * ONNX Runtime Java at its best configuration on these cores, not under the node's settings (issue
 * 17): the candidates are one session each, sequential execution, the node's deterministic flag,
 * no bound on concurrent runs, and intra-op threads 1 (measured best on 2 cores with several
 * callers) or the machine's cores (ORT's default spinning; best with one caller). Each measure runs
 * every candidate back to back and prints a RESULT line per candidate ({@code mode@i1}, {@code
 * mode@i2}), then the one with the most requests/s under {@code mode} itself. With signing ({@code
 * best}: the bench's limit), every call adds one signature with {@link OrtLimit#fastestProvider}.
 */
final class BestLimit implements AutoCloseable {
    /** A measured window at concurrency {@code c} of {@code op} (NodeBench's warm-up and window). */
    @FunctionalInterface
    interface Window {
        ClosedLoop.Stats run(int c, ClosedLoop.Op op) throws InterruptedException;
    }

    /** One configuration: its label ("i" + intra-op threads) and its session. */
    record Candidate(String label, OrtLimit limit) {}

    private final List<Candidate> candidates;

    private BestLimit(List<Candidate> candidates) {
        this.candidates = List.copyOf(candidates);
    }

    /**
     * @param threads client threads, one set of inputs each
     * @param messageBytes bytes signed per call, as {@link OrtLimit}
     */
    static BestLimit open(
            Path model,
            Workload workload,
            int threads,
            boolean deterministic,
            int interOpThreads,
            String sigAlg,
            PrivateKey key,
            int messageBytes)
            throws OrtException, GeneralSecurityException {
        String provider = OrtLimit.fastestProvider();
        Set<Integer> intra = new LinkedHashSet<>(List.of(1, Runtime.getRuntime().availableProcessors()));
        List<Candidate> candidates = new ArrayList<>();
        for (int i : intra) {
            candidates.add(new Candidate(
                    "i" + i,
                    new OrtLimit(
                            model,
                            workload,
                            threads,
                            deterministic,
                            i,
                            interOpThreads,
                            OrtLimit.UNBOUNDED,
                            provider,
                            sigAlg,
                            key,
                            messageBytes)));
        }
        return new BestLimit(candidates);
    }

    /** Every candidate at {@code c}, back to back, then the best of them as {@code mode}. */
    void measure(String mode, int c, boolean sign, Line line, Window window) throws InterruptedException {
        ClosedLoop.Stats best = null;
        for (Candidate cand : candidates) {
            OrtLimit limit = cand.limit();
            ClosedLoop.Stats st = window.run(c, t -> {
                limit.run(t);
                if (sign) {
                    limit.sign();
                }
            });
            line.closedLoop(mode + "@" + cand.label(), c, st);
            if (best == null || st.throughput() > best.throughput()) {
                best = st;
            }
        }
        line.closedLoop(mode, c, best);
    }

    @Override
    public void close() throws OrtException {
        for (Candidate cand : candidates) {
            cand.limit().close();
        }
    }
}
