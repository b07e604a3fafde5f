package io.parallelix.node.gpu;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one model: config, SHA-256 (and pin), sessions on the chosen provider, metadata, warm-up
 * and canary. Either returns a ready model or throws with every session it made closed.
 */
final class ModelLoader {
    private static final Logger log = LoggerFactory.getLogger(ModelLoader.class);

    private final EngineConfig config;
    private final SessionFactory sessions;
    private final ProviderChoice choice;
    private final ModelWarmup warmup;
    private final ModelConfigReader configs = new ModelConfigReader();
    private final ObjectMapper json = new ObjectMapper();
    private final Path profileDir;
    private final Function<SessionSettings, RuntimeFingerprint> cudaFingerprint;
    private final Function<SessionSettings, RuntimeFingerprint> cpuFingerprint;
    private final TextModels text;
    private final int cpuCores;

    ModelLoader(
            EngineConfig config,
            SessionFactory sessions,
            ProviderChoice choice,
            ModelWarmup warmup,
            Path profileDir,
            Function<SessionSettings, RuntimeFingerprint> cudaFingerprint,
            Function<SessionSettings, RuntimeFingerprint> cpuFingerprint,
            TextModels text,
            int cpuCores) {
        this.text = text;
        this.cpuCores = cpuCores;
        this.config = config;
        this.sessions = sessions;
        this.choice = choice;
        this.warmup = warmup;
        this.profileDir = profileDir;
        this.cudaFingerprint = cudaFingerprint;
        this.cpuFingerprint = cpuFingerprint;
    }

    LoadedModel load(ModelRepository.Entry entry) throws EngineException {
        return load(entry, LoadReporter.none(entry.name()));
    }

    /** As {@link #load(ModelRepository.Entry)}, telling {@code report} each stage and the bytes hashed. */
    LoadedModel load(ModelRepository.Entry entry, LoadReporter report) throws EngineException {
        long start = System.nanoTime();
        String name = entry.name();
        ModelConfig modelConfig = readConfig(configs, entry);
        report.stage(LoadStage.HASHING);
        ModelFiles files = ModelFiles.of(entry, report.hashing());
        String sha256 = files.sha256();
        if (modelConfig.sha256() != null && !modelConfig.sha256().equals(sha256)) {
            throw new EngineException("model '" + name + "': its files " + files.paths() + " have SHA-256 " + sha256
                    + " but its config.yaml pins " + modelConfig.sha256() + ". Fix: restore the pinned files, or"
                    + " update the pin if the new files are intended (docs/engine.md, \"Model digest\").");
        }
        SessionSettings settings = SessionSettings.of(config, modelConfig);
        report.stage(LoadStage.SESSIONS);
        List<SessionInstance> instances = createInstances(entry, modelConfig, settings);
        Embedder embedder = null;
        Generator generator = null;
        try {
            SessionInstance first = instances.get(0);
            boolean cuda = first.provider().equals(Fingerprints.CUDA);
            int runs = first.maxConcurrency();
            List<TensorSpec> inputs =
                    ModelSpecs.of(name, "input", first.session().getInputInfo());
            ModelTask task = TextModels.task(entry.dir(), modelConfig, inputs);
            ModelInfo info = new ModelInfo(
                    name,
                    sha256,
                    inputs,
                    ModelSpecs.of(name, "output", first.session().getOutputInfo()),
                    first.provider(),
                    cuda ? config.cuda().deviceIds() : List.of(),
                    modelConfig.instances(),
                    settings.deterministic(),
                    false,
                    task,
                    null,
                    null);
            RuntimeFingerprint fingerprint = (cuda ? cudaFingerprint : cpuFingerprint).apply(settings);
            InputBounds bounds = InputBounds.of(name, first.session().getInputInfo(), modelConfig.limits());
            if (task == ModelTask.EMBEDDING) {
                embedder = text.embedder(name, entry.dir(), modelConfig, info);
            } else if (task == ModelTask.GENERATION) {
                generator = text.generator(name, entry.dir(), modelConfig, info, runs * instances.size());
            }
            LoadedModel model =
                    new LoadedModel(info, bounds, new InstancePool(name, instances), fingerprint, embedder, generator);
            report.stage(LoadStage.WARMUP);
            if (generator == null || modelConfig.warmupInputs() != null) {
                warmup.run(model, modelConfig); // zero inputs cannot feed a cache graph: its probe warms it up
            }
            if (generator != null) {
                TextModels.probe(model, generator);
            }
            model = model.ready(embedder == null ? null : TextModels.probe(model, embedder));
            Map<String, Integer> placement = NodePlacement.collect(first.session(), json);
            log.info(
                    "model '{}' ready: task={} sha256={} files={} provider={} devices={} instances={} runs_per_instance={}"
                            + " deterministic={} intra_op_threads={}"
                            + " nodes by provider {} inputs={} outputs={} {} ({} ms)",
                    name,
                    task.wireName(),
                    sha256,
                    files.paths().size(),
                    info.provider(),
                    info.deviceIds(),
                    info.instances(),
                    runs,
                    info.deterministic(),
                    settings.intraOpThreads(),
                    placement,
                    compact(info.inputs()),
                    compact(info.outputs()),
                    bounds.describe(),
                    (System.nanoTime() - start) / 1_000_000);
            report.stage(LoadStage.READY);
            return model;
        } catch (OrtException e) {
            close(instances, embedder, generator);
            throw new EngineException("model '" + name + "': ONNX Runtime cannot describe it: " + OrtMessages.of(e), e);
        } catch (EngineException | RuntimeException e) {
            close(instances, embedder, generator);
            throw e;
        }
    }

    private static void close(
            List<SessionInstance> instances, @Nullable Embedder embedder, @Nullable Generator generator) {
        instances.forEach(SessionInstance::close);
        if (embedder != null) {
            embedder.close();
        }
        if (generator != null) {
            generator.close();
        }
    }

    private List<SessionInstance> createInstances(
            ModelRepository.Entry entry, ModelConfig modelConfig, SessionSettings settings) throws EngineException {
        List<SessionInstance> created = new ArrayList<>();
        if (choice.tryCuda()) {
            try {
                for (int device : config.cuda().deviceIds()) {
                    for (int i = 0; i < modelConfig.instances(); i++) {
                        created.add(new SessionInstance(
                                sessions.create(entry.modelFile(), settings, device, profilePrefix(entry, created)),
                                Fingerprints.CUDA,
                                RunsPerSession.of(modelConfig, config, settings, true, cpuCores)));
                    }
                }
                return created;
            } catch (CudaUnavailableException e) {
                created.forEach(SessionInstance::close);
                created.clear();
                if (choice.strict()) {
                    throw new EngineException("provider cuda: model '" + entry.name() + "': " + e.getMessage(), e);
                }
                choice.fallBack(String.valueOf(e.getMessage()));
            } catch (OrtException | RuntimeException e) {
                created.forEach(SessionInstance::close);
                created.clear();
                if (choice.strict()) {
                    throw new EngineException(
                            "provider cuda: model '" + entry.name() + "' cannot be loaded on CUDA: "
                                    + OrtMessages.of(e) + ". Fix: check the model file"
                                    + (settings.disableCpuEpFallback()
                                            ? "; disable_cpu_ep_fallback is set in its config.yaml, so any node CUDA cannot run"
                                                    + " fails the load: remove it to let ORT place those nodes on the CPU"
                                            : "")
                                    + ". " + CudaFailure.FIX,
                            e);
                }
                log.warn(
                        "!!! provider auto: model '{}' failed to load on CUDA ({}); trying it on the CPU",
                        entry.name(),
                        OrtMessages.of(e));
            }
        }
        try {
            for (int i = 0; i < modelConfig.instances(); i++) {
                created.add(new SessionInstance(
                        sessions.create(
                                entry.modelFile(), settings, SessionFactory.CPU_DEVICE, profilePrefix(entry, created)),
                        Fingerprints.CPU,
                        RunsPerSession.of(modelConfig, config, settings, false, cpuCores)));
            }
            return created;
        } catch (OrtException | CudaUnavailableException | RuntimeException e) {
            created.forEach(SessionInstance::close);
            throw new EngineException(
                    "model '" + entry.name() + "': ONNX Runtime cannot load " + entry.modelFile() + ": "
                            + OrtMessages.of(e) + ". Fix: replace it with a valid ONNX model (ONNX Runtime "
                            + "1.29 opsets), or remove its directory.",
                    e);
        }
    }

    /** "a:FP32[-1, 4]" for the log. */
    private static List<String> compact(List<TensorSpec> specs) {
        return specs.stream()
                .map(s -> s.name() + ":" + s.datatype() + s.shape())
                .toList();
    }

    /** Only the first instance is profiled (for the node placement log). */
    private @Nullable Path profilePrefix(ModelRepository.Entry entry, List<SessionInstance> created) {
        return created.isEmpty() ? profileDir.resolve(entry.name()) : null;
    }

    static ModelConfig readConfig(ModelConfigReader configs, ModelRepository.Entry entry) throws EngineException {
        try {
            return configs.read(entry.dir());
        } catch (IOException | IllegalArgumentException e) {
            throw new EngineException(
                    "model '" + entry.name() + "': " + entry.dir().resolve(ModelConfigReader.FILE_NAME)
                            + " is invalid: " + OrtMessages.of(e)
                            + ". Fix: correct it (format in docs/engine.md) or remove it.",
                    e);
        }
    }
}
