package io.parallelix.node.gpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Every file of a model directory that can change a result, and the one digest over them that
 * goes into signed results and that config.yaml's {@code sha256} pins.
 *
 * <p>A model that is only its ONNX file keeps the digest of that file (what v1 pins and
 * {@code sha256sum model.onnx} print). Otherwise the digest is the SHA-256 of a manifest in
 * sha256sum's format, one line per file sorted by path (byte order): {@code <hex>  <path>\n},
 * paths relative to the model directory with '/'. An operator reproduces it with
 * {@code (cd DIR && sha256sum FILES | LC_ALL=C sort -k2) | sha256sum} over {@link #paths()}.
 */
record ModelFiles(List<String> paths, String sha256, long bytes) {
    /** The text and layout files the node reads besides the graph and its external data. */
    static final List<String> KNOWN = List.of(
            "tokenizer.json",
            "tokenizer_config.json",
            "special_tokens_map.json",
            "config.json",
            "generation_config.json",
            "genai_config.json",
            "chat_template.jinja",
            "modules.json",
            "sentence_bert_config.json",
            "1_Pooling/config.json");

    ModelFiles {
        paths = List.copyOf(paths);
    }

    static ModelFiles of(ModelRepository.Entry entry) throws EngineException {
        return of(entry, ByteProgress.NONE);
    }

    /** As {@link #of(ModelRepository.Entry)}, telling {@code progress} the bytes hashed of all its files. */
    static ModelFiles of(ModelRepository.Entry entry, ByteProgress progress) throws EngineException {
        return digest(entry.name(), files(entry), progress);
    }

    /** The files the digest covers, by relative path, without reading them (but the graph's header). */
    static TreeMap<String, Path> files(ModelRepository.Entry entry) throws EngineException {
        Path dir = entry.dir();
        TreeMap<String, Path> files = new TreeMap<>();
        files.put(relative(dir, entry.modelFile()), entry.modelFile());
        try {
            Path graphDir = Objects.requireNonNull(entry.modelFile().getParent());
            for (String location : OnnxExternalData.locations(entry.modelFile())) {
                Path data = external(entry, graphDir, location);
                files.put(relative(dir, data), data);
            }
        } catch (IOException e) {
            throw new EngineException(
                    "model '" + entry.name() + "': cannot read " + entry.modelFile() + ": " + OrtMessages.of(e)
                            + ". Fix: replace it with a valid ONNX model.",
                    e);
        }
        for (String known : KNOWN) {
            Path file = dir.resolve(known);
            if (Files.isRegularFile(file)) {
                files.put(known, file);
            }
        }
        return files;
    }

    private static Path external(ModelRepository.Entry entry, Path graphDir, String location) throws EngineException {
        Path data = graphDir.resolve(location).normalize();
        if (Path.of(location).isAbsolute() || !data.startsWith(entry.dir()) || !Files.isRegularFile(data)) {
            throw new EngineException("model '" + entry.name() + "': its graph keeps weights in '" + Echo.clip(location)
                    + "', which is not a file inside " + entry.dir() + ". Fix: put the external data file the"
                    + " export wrote beside " + entry.modelFile().getFileName() + ".");
        }
        return data;
    }

    private static ModelFiles digest(String model, TreeMap<String, Path> files, ByteProgress progress)
            throws EngineException {
        List<String> paths = new ArrayList<>(files.keySet());
        try {
            long total = 0;
            for (Path file : files.values()) {
                total += Files.size(file);
            }
            long all = total;
            progress.bytes(0, all);
            if (files.size() == 1) {
                Path only = files.firstEntry().getValue();
                return new ModelFiles(paths, FileDigest.sha256(only, n -> progress.bytes(n, all)), all);
            }
            StringBuilder manifest = new StringBuilder();
            long done = 0;
            for (var e : files.entrySet()) {
                long before = done;
                manifest.append(FileDigest.sha256(e.getValue(), n -> progress.bytes(before + n, all)))
                        .append("  ")
                        .append(e.getKey())
                        .append('\n');
                done += Files.size(e.getValue());
            }
            MessageDigest sha = FileDigest.newSha256();
            String hex = HexFormat.of().formatHex(sha.digest(manifest.toString().getBytes(StandardCharsets.UTF_8)));
            return new ModelFiles(paths, hex, total);
        } catch (IOException e) {
            throw new EngineException(
                    "model '" + model + "': cannot read its files: " + OrtMessages.of(e)
                            + ". Fix: check the files' permissions.",
                    e);
        }
    }

    private static String relative(Path dir, Path file) {
        return dir.relativize(file).toString().replace('\\', '/');
    }
}
