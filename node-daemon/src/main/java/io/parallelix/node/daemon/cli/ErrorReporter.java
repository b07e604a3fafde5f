package io.parallelix.node.daemon.cli;

import picocli.CommandLine;

/** Errors are one clear line on stderr and a non-zero exit; stack traces only with --verbose. */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        boolean verbose =
                parsed.hasMatchedOption("--verbose") || (parsed.subcommand() != null && deepMatch(parsed, "--verbose"));
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        cl.getErr().println("pxnode: " + message);
        if (verbose) {
            e.printStackTrace(cl.getErr());
        }
        cl.getErr().flush();
        CommandLine.IExitCodeExceptionMapper mapper = cl.getExitCodeExceptionMapper();
        return mapper != null ? mapper.getExitCode(e) : ExitCodes.INTERNAL;
    }

    private static boolean deepMatch(CommandLine.ParseResult parsed, String option) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(option)) {
                return true;
            }
        }
        return false;
    }
}
