package io.parallelix.node.daemon.cli;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/** What commands take from the outside world, injected so tests can steer it. */
record CliContext(Map<String, String> env, Path home, Clock clock, String version, InputStream stdin) {
    CliContext {
        env = Map.copyOf(env);
    }
}
