package io.parallelix.node.daemon.cli;

import io.parallelix.node.crypto.NodeKey;
import io.parallelix.node.daemon.Node;
import io.parallelix.node.daemon.config.ConfigLoader;
import io.parallelix.node.daemon.config.NodeConfig;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the node until SIGTERM/SIGINT, then drains and exits. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {
            "Run the node. With no options: the key in data_dir (created if missing; --print-config shows where),",
            "the bundled all-MiniLM-L6-v2 model, provider auto, on 127.0.0.1:8080. --config switches to production",
            "settings."
        })
final class ServeCommand implements Callable<Integer> {
    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--print-config", description = "Print the effective configuration and exit.")
    boolean printConfig;

    ServeCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        NodeConfig config = options.load(context);
        if (printConfig) {
            out.print(new ConfigLoader(context.env(), context.home()).render(config));
            out.flush();
            return ExitCodes.OK;
        }
        NodeKey key = KeySetup.loadOrCreate(config, context, out);
        DefaultModel.installIfNeeded(config, out);
        Node node = Node.start(config, key, context.clock(), context.version());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            node.close();
                            stopped.countDown();
                        },
                        "pxnode-shutdown"));
        out.println("pxnode " + context.version() + " serving on "
                + baseUrl(config.server().tls().enabled(), node.address()) + " node_id "
                + key.nodeId().hex());
        out.flush();
        stopped.await();
        return ExitCodes.OK;
    }

    /** The URL operators copy from the startup line: https:// when the listener speaks TLS. */
    static String baseUrl(boolean tls, InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (tls ? "https://" : "http://") + (host.contains(":") ? "[" + host + "]" : host) + ":"
                + address.getPort();
    }
}
