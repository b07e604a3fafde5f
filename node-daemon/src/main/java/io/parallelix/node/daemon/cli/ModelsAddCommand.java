package io.parallelix.node.daemon.cli;

import io.parallelix.node.daemon.Node;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.daemon.service.LoadingStatus;
import io.parallelix.node.gpu.EngineConfig;
import io.parallelix.node.gpu.EngineException;
import io.parallelix.node.gpu.InferenceEngine;
import io.parallelix.node.gpu.ModelDirectory;
import io.parallelix.node.gpu.ModelInfo;
import io.parallelix.node.gpu.ProviderMode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Turns an export directory (Hugging Face, Optimum, sentence-transformers, or a bare model.onnx)
 * into a served, pinned model: the files the node reads are copied (or linked) into a hidden
 * staging directory inside the models directory, loaded there by the node's own engine on the CPU
 * (digest, task, sessions, warm-up, canary, text probes: what it cannot serve is refused with the
 * load's reason), given a config.yaml with the digest pinned, the task and the bounds the load
 * found, and only then renamed into place. A failure at any step leaves the repository as it was. A
 * directory already in the models directory under that name is checked through links and pinned in place.
 */
@Command(
        name = "add",
        mixinStandardHelpOptions = true,
        description = "Copy (or link) an export directory into the models directory, check that the node"
                + " can serve it, and pin its digest in config.yaml.")
final class ModelsAddCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Parameters(index = "0", paramLabel = "DIR", description = "The export directory (model.onnx or onnx/model.onnx).")
    Path source = Path.of("");

    @Option(names = "--name", paramLabel = "NAME", description = "The model's name (default: DIR's name).")
    @Nullable
    String name;

    @Option(
            names = "--link",
            description = "Symlink the files instead of copying them (the export must then stay where it is).")
    boolean link;

    ModelsAddCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        return ModelsCommand.naming(this::run);
    }

    private int run() throws Exception {
        NodeConfig config = options.load(context);
        Path from = ModelsCommand.existingDir(source, "export directory")
                .toAbsolutePath()
                .normalize();
        String model = name != null ? name : String.valueOf(from.getFileName());
        if (!ModelDirectory.validName(model)) {
            throw new ExitCodes.UsageException("'" + model + "' is not a valid model name (letters, digits, '.', '_'"
                    + " or '-', at most 128, starting with a letter or digit). Fix: give one with --name");
        }
        Path models = Files.createDirectories(config.modelsDir()).toAbsolutePath();
        Path target = models.resolve(model);
        // already in the models directory under its name (exported straight there): check and pin in place
        boolean inPlace = Files.isDirectory(target) && Files.isSameFile(target, from);
        if (!inPlace && Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new ExitCodes.UsageException("model '" + model + "' already exists (" + target
                    + "). Fix: choose another --name, or remove that directory first");
        }
        ModelDirectory export = ModelDirectory.of(model, from);
        export.pins(); // a broken config.yaml in the export is refused before anything is copied
        List<String> files = export.files();
        ModelsProgress progress = ModelsCommand.progress(spec);
        Path staging = Files.createTempDirectory(models, ".pxnode-add-"); // hidden: the node never scans it
        try {
            Path staged = Files.createDirectory(staging.resolve(model));
            boolean links = link || inPlace;
            ModelsCopy.files(from, staged, files, links, progress.step((links ? "linking " : "copying ") + model));
            if (Files.isRegularFile(from.resolve(ModelsConfig.FILE_NAME))) {
                Files.copy(from.resolve(ModelsConfig.FILE_NAME), staged.resolve(ModelsConfig.FILE_NAME));
            }
            ModelInfo info = check(config, staging, model, progress);
            ModelsConfig.write(staged, info);
            String pinned = ModelDirectory.of(model, staged).pins().sha256(); // read back as a load reads it
            if (!info.sha256().equals(pinned)) {
                throw new IllegalStateException("config.yaml pins " + pinned + ", the load computed " + info.sha256());
            }
            long bytes = ModelsCopy.size(staged, files);
            if (inPlace) {
                Files.move(
                        staged.resolve(ModelsConfig.FILE_NAME),
                        target.resolve(ModelsConfig.FILE_NAME),
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } else {
                move(staged, target);
            }
            ModelsCommand.println(
                    spec,
                    (inPlace ? "pinned model '" + model + "' in place" : "added model '" + model + "'") + ": task "
                            + info.task().wireName() + ", " + files.size() + " file(s), " + LoadingStatus.bytes(bytes)
                            + (link ? " (linked)" : "")
                            + ", sha256 " + info.sha256() + " pinned in " + target.resolve(ModelsConfig.FILE_NAME));
            ModelsCommand.println(spec, "serve it: pxnode serve --models-dir " + models);
            return ExitCodes.OK;
        } finally {
            ModelsCopy.deleteTree(staging);
        }
    }

    /** The node's own load, on the CPU provider, of the staged copy alone. */
    private ModelInfo check(NodeConfig config, Path staging, String model, ModelsProgress progress)
            throws EngineException {
        EngineConfig node = Node.engineConfig(config);
        EngineConfig cpu = new EngineConfig(
                staging,
                ProviderMode.CPU,
                node.cuda(),
                node.deterministic(),
                node.intraOpThreads(),
                node.interOpThreads(),
                node.maxConcurrencyPerInstance(),
                node.tokenizerLibrary(),
                node.nativeDir());
        try (InferenceEngine engine = InferenceEngine.open(cpu, context.clock(), progress.load())) {
            return engine.model(model).orElseThrow();
        } catch (EngineException e) {
            throw new EngineException("refused: the node could not serve it: " + e.getMessage(), e);
        }
    }

    private static void move(Path staged, Path target) throws IOException {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("model directory " + target + " appeared while the model was checked; not replaced");
        }
    }
}
