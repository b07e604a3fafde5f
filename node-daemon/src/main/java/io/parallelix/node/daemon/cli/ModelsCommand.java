package io.parallelix.node.daemon.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code pxnode models}: the model repository from the shell (docs/operations.md). */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        description = "List, add and verify the models a node serves.",
        subcommands = {ModelsListCommand.class, ModelsAddCommand.class, ModelsVerifyCommand.class})
final class ModelsCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: list, add or verify");
    }

    /** Bars on a terminal (System.console()), lines otherwise; on stderr, so stdout stays a table or JSON. */
    static ModelsProgress progress(CommandSpec spec) {
        return new ModelsProgress(
                spec.commandLine().getErr(), System.console() != null, ModelsProgress.DEFAULT_MIN_BYTES);
    }

    /** Checked before anything else: a missing or plain-file models directory is the config's fault. */
    static Path existingDir(Path dir, String what) throws ExitCodes.UsageException {
        if (!Files.isDirectory(dir)) {
            throw new ExitCodes.UsageException(
                    what + " " + dir.toAbsolutePath() + " does not exist or is not a directory");
        }
        return dir;
    }

    static void println(CommandSpec spec, String line) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(line);
        out.flush();
    }
}
