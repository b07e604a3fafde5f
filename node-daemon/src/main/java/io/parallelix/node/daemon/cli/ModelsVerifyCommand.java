package io.parallelix.node.daemon.cli;

import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.gpu.ModelDirectory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Re-hashes models as the node does at load and compares with their pins: exit 0 when every pinned
 * model matches, 1 on any mismatch. A model without a pin is reported, not failed.
 */
@Command(
        name = "verify",
        mixinStandardHelpOptions = true,
        description = "Re-hash models against the sha256 pins in their config.yaml; exit 1 on a mismatch.")
final class ModelsVerifyCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Parameters(arity = "0..1", paramLabel = "NAME", description = "One model (default: every model).")
    @Nullable
    String name;

    ModelsVerifyCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        return ModelsCommand.naming(this::run);
    }

    private int run() throws Exception {
        NodeConfig config = options.load(context);
        Path models = ModelsCommand.existingDir(config.modelsDir(), "models directory");
        List<ModelDirectory> dirs = ModelDirectory.scan(models);
        if (name != null) {
            String wanted = name;
            dirs = dirs.stream().filter(d -> d.name().equals(wanted)).toList();
            if (dirs.isEmpty()) {
                throw new ExitCodes.UsageException(
                        "no model '" + wanted + "' in " + models + " (pxnode models list shows what is there)");
            }
        }
        ModelsProgress progress = ModelsCommand.progress(spec);
        int mismatches = 0;
        for (ModelDirectory dir : dirs) {
            String pin = dir.pins().sha256();
            ModelDirectory.Digest digest = dir.digest(progress.step("hashing " + dir.name()));
            if (pin == null) {
                ModelsCommand.println(
                        spec,
                        "unpinned  " + dir.name() + "  sha256 " + digest.sha256()
                                + " (config.yaml has no sha256: a changed file would load unnoticed)");
            } else if (pin.equals(digest.sha256())) {
                ModelsCommand.println(spec, "ok        " + dir.name() + "  sha256 " + pin);
            } else {
                mismatches++;
                ModelsCommand.println(
                        spec,
                        "MISMATCH  " + dir.name() + ": its files " + digest.files() + " have sha256 "
                                + digest.sha256() + " but config.yaml pins " + pin
                                + "; the node will refuse to load it. Fix: restore the pinned files or, if the"
                                + " new files are intended, delete the sha256 line of its config.yaml and run"
                                + " pxnode models add " + dir.dir() + " to check and pin them.");
            }
        }
        if (mismatches > 0) {
            spec.commandLine().getErr().println("pxnode: " + mismatches + " model(s) do not match their pin");
            spec.commandLine().getErr().flush();
            return ExitCodes.CHECK_FAILED;
        }
        return ExitCodes.OK;
    }
}
