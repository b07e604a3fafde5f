package io.parallelix.node.daemon.bench;

import io.parallelix.node.daemon.config.ConfigException;
import io.parallelix.node.daemon.config.ConfigLoader;
import io.parallelix.node.daemon.config.NodeConfig;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@code --name value} pairs of the bench mains. */
final class BenchArgs {
    private BenchArgs() {}

    static Map<String, String> parse(String[] argv) {
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < argv.length; i += 2) {
            if (!argv[i].startsWith("--") || i + 1 >= argv.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + Arrays.toString(argv));
            }
            out.put(argv[i].substring(2), argv[i + 1]);
        }
        return out;
    }

    static List<String> list(Map<String, String> args, String name, String fallback) {
        return List.of(args.getOrDefault(name, fallback).split(","));
    }

    /** The node config file {@code --config} names, read as the node reads it (PXNODE_* applied). */
    static NodeConfig config(Map<String, String> args) throws java.io.IOException, ConfigException {
        return new ConfigLoader(System.getenv(), Path.of(System.getProperty("user.home")))
                .load(Path.of(args.get("config")), Map.of());
    }
}
