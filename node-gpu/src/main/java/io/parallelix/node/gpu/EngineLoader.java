package io.parallelix.node.gpu;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens an engine: checks the host, loads every model, and on any failure closes what it opened. */
final class EngineLoader {
    private static final Logger log = LoggerFactory.getLogger(EngineLoader.class);

    /** Direct memory kept for copying heap inputs; enough for dozens of MiniLM-sized requests. */
    private static final long DIRECT_BUFFER_POOL_BYTES = 64L << 20;

    private EngineLoader() {}

    static InferenceEngine open(EngineConfig config, Clock clock, EngineDependencies deps, LoadListener listener)
            throws EngineException {
        checkHost();
        List<ModelRepository.Entry> entries = ModelRepository.scan(config.modelsDir());
        listener.models(entries.stream().map(ModelRepository.Entry::name).toList());
        OrtEnvironment env = environment();
        RunDeadlines deadlines = new RunDeadlines();
        List<LoadedModel> loaded = new ArrayList<>();
        Path profileDir = null;
        try {
            profileDir = Files.createTempDirectory("pxnode-ort-profile");
            ProviderChoice choice = new ProviderChoice(config.provider());
            String ortVersion = env.getVersion();
            String cpuModel = Fingerprints.cpuModel(deps.cpuInfo());
            GpuReport gpu = new GpuReport(deps);
            ModelRunner runner = new ModelRunner(env, deadlines, clock, new DirectBuffers(DIRECT_BUFFER_POOL_BYTES));
            ModelLoader loader = new ModelLoader(
                    config,
                    new SessionFactory(env, config.cuda(), deps.cudaRegistrar()),
                    choice,
                    new ModelWarmup(runner),
                    profileDir,
                    s -> Fingerprints.cuda(
                            ortVersion, gpu.get(), config.cuda().deviceIds(), s.deterministic(), s.intraOpThreads()),
                    s -> Fingerprints.cpu(ortVersion, cpuModel, s.deterministic(), s.intraOpThreads()),
                    new TextModels(config, runner),
                    deps.cpuCores());
            for (int i = 0; i < entries.size(); i++) {
                ModelRepository.Entry entry = entries.get(i);
                loaded.add(loader.load(entry, new LoadReporter(listener, entry.name(), i + 1, entries.size())));
            }
            RuntimeFingerprint fingerprint = choice.tryCuda()
                    ? Fingerprints.cuda(ortVersion, gpu.get(), config.cuda().deviceIds(), config.deterministic())
                    : Fingerprints.cpu(ortVersion, cpuModel, config.deterministic());
            log.info(
                    "inference engine ready: {} model(s) on {} (ONNX Runtime {}, deterministic={})",
                    loaded.size(),
                    fingerprint.provider(),
                    ortVersion,
                    config.deterministic());
            return new InferenceEngine(loaded, runner, deadlines, fingerprint);
        } catch (EngineException | RuntimeException | Error e) {
            for (int i = loaded.size() - 1; i >= 0; i--) {
                loaded.get(i).close();
            }
            deadlines.close();
            throw e;
        } catch (IOException e) {
            deadlines.close();
            throw new EngineException(
                    "cannot create a temporary directory for ONNX Runtime profiles: " + e.getMessage()
                            + ". Fix: make java.io.tmpdir writable.",
                    e);
        } finally {
            deleteTree(profileDir);
        }
    }

    private static void checkHost() throws EngineException {
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) {
            throw new EngineException("this host is big-endian; results are little-endian by contract and ONNX"
                    + " Runtime's Java API hands out native-order buffers. Fix: run the node on x86-64 or aarch64.");
        }
    }

    private static OrtEnvironment environment() throws EngineException {
        try {
            return OrtEnvironment.getEnvironment();
        } catch (RuntimeException | LinkageError e) {
            throw new EngineException(
                    "ONNX Runtime's native library cannot be loaded: " + e.getMessage() + ". Fix:"
                            + " check that java.io.tmpdir (or -Donnxruntime.native.path) allows loading native code.",
                    e);
        }
    }

    /** The GPU probe runs at most once per open, and only when a model runs on CUDA. */
    private static final class GpuReport {
        private final EngineDependencies deps;
        private GpuProbe.@Nullable Report report;

        GpuReport(EngineDependencies deps) {
            this.deps = deps;
        }

        GpuProbe.Report get() {
            if (report == null) {
                report = deps.gpuProbe().get();
            }
            return report;
        }
    }

    private static void deleteTree(@Nullable Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            log.debug("could not delete {}: {}", dir, e.getMessage());
        }
    }
}
