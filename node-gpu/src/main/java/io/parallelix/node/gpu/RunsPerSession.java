package io.parallelix.node.gpu;

/**
 * How many runs one session takes at once: the model's {@code max_concurrency}, else the node's
 * {@code max_concurrency_per_instance}, else (0, the default) what fills the machine. On the CPU
 * provider a run with N intra-op threads computes on N cores, so cores ÷ N runs keep every core
 * busy; ONNX Runtime's Run is safe to call concurrently on one session, which shares the weights
 * (measured, MiniLM 16 tokens on 2 cores: one session with intra-op 1 and 2 callers ran 2.2x the
 * runs/s of one caller, and 1.25x one caller with intra-op 2). With intra-op 0 (ORT's default: a
 * thread per core) one run already fills the cores. On CUDA a session's runs share one device and
 * its stream, so 1 run per session; more devices add sessions, not runs.
 */
public final class RunsPerSession {
    private RunsPerSession() {}

    static int of(ModelConfig model, EngineConfig node, SessionSettings settings, boolean cuda, int cpuCores) {
        if (model.maxConcurrency() > 0) {
            return model.maxConcurrency();
        }
        return cuda && node.maxConcurrencyPerInstance() == 0
                ? 1
                : cpu(node.maxConcurrencyPerInstance(), settings.intraOpThreads(), cpuCores);
    }

    /**
     * A CPU session's runs for the node's setting ({@code configured}, 0 = sized to the machine)
     * and the session's intra-op threads as SessionSettings resolved them (0 = ORT's default).
     */
    public static int cpu(int configured, int intraOpThreads, int cpuCores) {
        if (configured > 0) {
            return configured;
        }
        return intraOpThreads == 0 ? 1 : Math.max(1, cpuCores / intraOpThreads);
    }
}
