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

    /** Bars on a terminal, lines otherwise; on stderr, so stdout stays a table or JSON. */
    static ModelsProgress progress(CommandSpec spec) {
        return new ModelsProgress(spec.commandLine().getErr(), terminal(), ModelsProgress.DEFAULT_MIN_BYTES);
    }

    /**
     * System.console() is null without a terminal up to JDK 21; from JDK 22 it is there even when
     * the streams are redirected, and Console.isTerminal() (22+, called by name: the build targets
     * 21) says whether it is one.
     */
    static boolean terminal() {
        java.io.Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // JDK 21: a console is a terminal
        }
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

    /** Runs a subcommand; a file-system error names its path and the reason (the JDK's message is often the path alone). */
    static int naming(java.util.concurrent.Callable<Integer> run) throws Exception {
        try {
            return run.call();
        } catch (java.nio.file.FileSystemException e) {
            throw new java.io.IOException(ModelsCopy.describe(e), e);
        }
    }
}
