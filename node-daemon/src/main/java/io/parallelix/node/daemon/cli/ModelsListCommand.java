package io.parallelix.node.daemon.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.parallelix.node.daemon.config.NodeConfig;
import io.parallelix.node.daemon.protocol.Json;
import io.parallelix.node.daemon.service.LoadingStatus;
import io.parallelix.node.gpu.ModelDirectory;
import io.parallelix.node.gpu.ModelTask;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The models of a running node (its /v1/models and /v1/node) or of the configured models directory
 * (what config.yaml pins, what the digest covers; nothing is loaded or hashed).
 */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "List models: name, task, digest, files, size, provider, ready.")
final class ModelsListCommand implements Callable<Integer> {
    /** One row; null where the source does not know (a directory has no provider, a node no file list). */
    record Row(
            String name,
            @Nullable String task,
            @Nullable String sha256,
            @Nullable Integer files,
            @Nullable Long bytes,
            @Nullable String provider,
            @Nullable Boolean ready,
            @Nullable String loading) {}

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Mixin
    ConfigOptions options = new ConfigOptions();

    @Option(names = "--node", paramLabel = "URL", description = "Ask a running node instead of reading the directory.")
    @Nullable
    String node;

    @Option(names = "--json", description = "Print JSON (full digests).")
    boolean json;

    ModelsListCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() throws Exception {
        return ModelsCommand.naming(this::run);
    }

    private int run() throws Exception {
        ObjectMapper mapper = new Json(1 << 20).mapper();
        List<Row> rows = node != null ? ModelsNodeClient.rows(mapper, node) : fromDirectory();
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(rows));
        } else {
            table(out, rows);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private List<Row> fromDirectory() throws Exception {
        NodeConfig config = options.load(context);
        Path models = ModelsCommand.existingDir(config.modelsDir(), "models directory");
        List<Row> rows = new ArrayList<>();
        for (ModelDirectory dir : ModelDirectory.scan(models)) {
            ModelDirectory.Pins pins = dir.pins();
            List<String> files = dir.files();
            long bytes = 0;
            for (String f : files) {
                bytes += Files.size(dir.dir().resolve(f));
            }
            ModelTask task = pins.task();
            rows.add(new Row(
                    dir.name(),
                    task == null ? null : task.wireName(),
                    pins.sha256(),
                    files.size(),
                    bytes,
                    null,
                    null,
                    null));
        }
        return rows;
    }

    /** Aligned columns; a digest shows its first 12 digits (--json has all 64), unknowns "-". */
    static void table(PrintWriter out, List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"NAME", "TASK", "SHA256", "FILES", "SIZE", "PROVIDER", "READY"});
        for (Row r : rows) {
            cells.add(new String[] {
                r.name(),
                orDash(r.task()),
                r.sha256() == null
                        ? "unpinned"
                        : r.sha256().substring(0, Math.min(12, r.sha256().length())),
                r.files() == null ? "-" : r.files().toString(),
                r.bytes() == null ? "-" : LoadingStatus.bytes(r.bytes()),
                orDash(r.provider()),
                r.ready() == null ? "-" : r.ready() ? "yes" : r.loading() == null ? "no" : "no (" + r.loading() + ")"
            });
        }
        int[] width = new int[7];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i == row.length - 1 ? row[i] : String.format(Locale.ROOT, "%-" + width[i] + "s  ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String orDash(@Nullable String s) {
        return s == null ? "-" : s;
    }
}
