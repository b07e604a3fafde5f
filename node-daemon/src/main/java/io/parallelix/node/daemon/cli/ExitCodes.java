package io.parallelix.node.daemon.cli;

import io.parallelix.node.crypto.KeyException;
import io.parallelix.node.daemon.config.ConfigException;
import io.parallelix.node.gpu.EngineException;
import java.io.IOException;
import picocli.CommandLine;

/**
 * Exit codes, in one place: 0 success, 1 a check failed (verify, self-test), 2 usage, 3 config,
 * 4 key, 5 engine or model, 6 I/O (port in use, unreachable node), 70 internal error.
 */
final class ExitCodes implements CommandLine.IExitCodeExceptionMapper {
    static final int OK = 0;
    static final int CHECK_FAILED = 1;
    static final int USAGE = 2;
    static final int CONFIG = 3;
    static final int KEY = 4;
    static final int ENGINE = 5;
    static final int IO = 6;
    static final int INTERNAL = 70;

    @Override
    public int getExitCode(Throwable t) {
        return switch (t) {
            case CommandLine.ParameterException p -> USAGE;
            case UsageException u -> USAGE;
            case ConfigException c -> CONFIG;
            case KeyException k -> KEY;
            case EngineException e -> ENGINE;
            case IOException io -> IO;
            default -> INTERNAL;
        };
    }

    /** A command-level usage problem found after parsing (e.g. two options that exclude each other). */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
