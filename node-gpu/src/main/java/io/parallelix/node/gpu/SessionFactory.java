package io.parallelix.node.gpu;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * Creates ORT sessions. Every session gets fresh SessionOptions, closed right after: in
 * particular, options on which registering CUDA failed are thrown away, because ORT would
 * otherwise build a session from them that silently runs on the CPU.
 */
final class SessionFactory {
    static final int CPU_DEVICE = -1;

    private final OrtEnvironment env;
    private final CudaOptions cuda;
    private final CudaRegistrar registrar;

    SessionFactory(OrtEnvironment env, CudaOptions cuda, CudaRegistrar registrar) {
        this.env = env;
        this.cuda = cuda;
        this.registrar = registrar;
    }

    /** A session on CUDA device {@code device}, or on the CPU for CPU_DEVICE; profiling if a prefix is given. */
    OrtSession create(Path model, SessionSettings settings, int device, @Nullable Path profilePrefix)
            throws OrtException, CudaUnavailableException {
        try (SessionOptions options = new SessionOptions()) {
            options.setExecutionMode(SessionOptions.ExecutionMode.SEQUENTIAL);
            if (settings.deterministic()) {
                options.setDeterministicCompute(true);
            }
            if (settings.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(settings.intraOpThreads());
            }
            if (settings.interOpThreads() > 0) {
                options.setInterOpNumThreads(settings.interOpThreads());
            }
            if (profilePrefix != null) {
                options.enableProfiling(profilePrefix.toString());
            }
            if (device != CPU_DEVICE) {
                // Only beside a GPU provider: with the CPU alone, ORT refuses every graph under it.
                if (settings.disableCpuEpFallback()) {
                    options.addConfigEntry("session.disable_cpu_ep_fallback", "1");
                }
                try {
                    registrar.register(options, CudaProviderOptions.forDevice(cuda, device, settings.deterministic()));
                } catch (OrtException | RuntimeException | LinkageError e) {
                    throw new CudaUnavailableException(CudaFailure.describe(e), e);
                }
            }
            return env.createSession(model.toString(), options);
        }
    }
}
