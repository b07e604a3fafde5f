package io.parallelix.node.daemon.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code pxnode} command: one executable for the daemon and its tools. */
@Command(
        name = "pxnode",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "The ParalleliX worker node: signed, verifiable ONNX inference.",
        subcommands = {
            ServeCommand.class,
            KeygenCommand.class,
            IdentityCommand.class,
            SelfTestCommand.class,
            VerifyCommand.class,
            ModelsCommand.class,
            AutoComplete.GenerateCompletion.class
        })
public final class PxNode {
    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT, description = "Show stack traces on errors.")
    boolean verbose;

    /** Runs the command line and returns the exit code. */
    public static int run(String[] args, Map<String, String> env) {
        return commandLine(env, System.in, new PrintWriter(System.out, true), new PrintWriter(System.err, true))
                .execute(args);
    }

    public static CommandLine commandLine(
            Map<String, String> env, InputStream stdin, PrintWriter out, PrintWriter err) {
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        CliContext context = new CliContext(env, Path.of(home), Clock.systemUTC(), VersionProvider.version(), stdin);
        CommandLine cl = new CommandLine(new PxNode(), new CommandFactory(context));
        cl.setOut(out);
        cl.setErr(err);
        cl.setExitCodeExceptionMapper(new ExitCodes());
        cl.setExecutionExceptionHandler(new ErrorReporter());
        java.util.Objects.requireNonNull(cl.getSubcommands().get("generate-completion"))
                .getCommandSpec()
                .usageMessage()
                .hidden(false);
        return cl;
    }
}
