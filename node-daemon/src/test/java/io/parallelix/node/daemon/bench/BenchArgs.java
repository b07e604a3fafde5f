package io.parallelix.node.daemon.bench;

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
}
