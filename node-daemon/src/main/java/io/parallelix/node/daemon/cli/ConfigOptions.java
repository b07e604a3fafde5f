package io.parallelix.node.daemon.cli;

import io.parallelix.node.daemon.config.ConfigException;
import io.parallelix.node.daemon.config.ConfigLoader;
import io.parallelix.node.daemon.config.NodeConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/** The options that pick and override configuration, shared by serve and self-test. */
final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "YAML config file (see config/node.example.yaml).")
    @Nullable
    Path config;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "Overrides listen.")
    @Nullable
    String listen;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Overrides data_dir (key and default models).")
    @Nullable
    Path dataDir;

    @Option(names = "--models-dir", paramLabel = "DIR", description = "Overrides engine.models_dir.")
    @Nullable
    Path modelsDir;

    @Option(names = "--provider", paramLabel = "cuda|cpu|auto", description = "Overrides engine.provider.")
    @Nullable
    String provider;

    NodeConfig load(CliContext context) throws ConfigException {
        Map<String, String> overrides = new LinkedHashMap<>();
        if (listen != null) {
            overrides.put("listen", listen);
        }
        if (dataDir != null) {
            overrides.put("data_dir", dataDir.toString());
        }
        if (modelsDir != null) {
            overrides.put("engine.models_dir", modelsDir.toString());
        }
        if (provider != null) {
            overrides.put("engine.provider", provider);
        }
        return new ConfigLoader(context.env(), context.home()).load(config, overrides);
    }
}
