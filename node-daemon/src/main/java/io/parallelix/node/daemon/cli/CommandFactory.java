package io.parallelix.node.daemon.cli;

import picocli.CommandLine;

/** Builds commands with their dependencies by constructor; everything else picocli builds itself. */
final class CommandFactory implements CommandLine.IFactory {
    private final CliContext context;
    private final CommandLine.IFactory fallback = CommandLine.defaultFactory();

    CommandFactory(CliContext context) {
        this.context = context;
    }

    @Override
    public <K> K create(Class<K> cls) throws Exception {
        try {
            return cls.cast(cls.getDeclaredConstructor(CliContext.class).newInstance(context));
        } catch (NoSuchMethodException e) {
            return fallback.create(cls);
        }
    }
}
