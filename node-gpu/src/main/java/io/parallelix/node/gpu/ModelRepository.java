package io.parallelix.node.gpu;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The model repository: {@code <dir>/<name>/model.onnx}, or {@code <dir>/<name>/onnx/model.onnx}
 * as sentence-transformers' ONNX backend and Optimum lay it out, plus an optional config.yaml and
 * whatever a Hugging Face export puts beside it (tokenizer, pooling). Names become URL path
 * segments, so they are restricted; hidden directories are ignored, files beside the model
 * directories too.
 */
final class ModelRepository {
    static final String MODEL_FILE = "model.onnx";
    /** Where the model file may be, in this order: the root wins when both exist. */
    static final List<String> MODEL_PATHS = List.of(MODEL_FILE, "onnx/" + MODEL_FILE);

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    record Entry(String name, Path dir, Path modelFile) {}

    private ModelRepository() {}

    static boolean validName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The model in {@code dir}, served as {@code name}: its graph found where the node looks for it. */
    static Entry entry(String name, Path dir) throws EngineException {
        Path model = MODEL_PATHS.stream()
                .map(dir::resolve)
                .filter(Files::isRegularFile)
                .findFirst()
                .orElseThrow(() -> new EngineException(
                        "model directory " + dir + " has no " + MODEL_FILE + " (nor onnx/" + MODEL_FILE
                                + "). Fix: put the model there as " + MODEL_FILE + " or remove the directory."));
        return new Entry(name, dir, model);
    }

    /** Every model directory, sorted by name; EngineException if there is none or one is malformed. */
    static List<Entry> scan(Path modelsDir) throws EngineException {
        if (!Files.isDirectory(modelsDir)) {
            throw new EngineException("models directory " + modelsDir.toAbsolutePath() + " does not exist or is not a"
                    + " directory. Fix: create it with one sub-directory per model holding model.onnx, or point the"
                    + " node at the right directory.");
        }
        List<Entry> entries = new ArrayList<>();
        try (Stream<Path> children = Files.list(modelsDir)) {
            for (Path dir : children.sorted().toList()) {
                String name = dir.getFileName().toString();
                if (name.startsWith(".") || !Files.isDirectory(dir)) {
                    continue;
                }
                if (!validName(name)) {
                    throw new EngineException("model directory '" + name + "' in " + modelsDir + " is not a valid model"
                            + " name. Fix: rename it to letters, digits, '.', '_' or '-' (at most 128, starting with a"
                            + " letter or digit).");
                }
                entries.add(entry(name, dir));
            }
        } catch (IOException e) {
            throw new EngineException("cannot list models directory " + modelsDir + ": " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            throw new EngineException("no models in " + modelsDir.toAbsolutePath() + ". Fix: add at least one model as "
                    + modelsDir + "/<name>/" + MODEL_FILE + ".");
        }
        return entries;
    }
}
