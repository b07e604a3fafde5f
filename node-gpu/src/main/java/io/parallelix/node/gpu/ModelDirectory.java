package io.parallelix.node.gpu;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One model directory as the node sees it, without loading it: where its graph is, which files its
 * digest covers, the digest itself and what its config.yaml pins. For tools (pxnode models), so
 * that they find, hash and check exactly what a load does (the same ModelRepository, ModelFiles
 * and ModelConfigReader).
 */
public final class ModelDirectory {
    /** The digest and what it covers: relative paths in digest order, their total size. */
    public record Digest(List<String> files, String sha256, long bytes) {
        public Digest {
            files = List.copyOf(files);
        }
    }

    /** What config.yaml says that tools show: the pin and the task, each null when not set. */
    public record Pins(@Nullable String sha256, @Nullable ModelTask task) {}

    private final ModelRepository.Entry entry;

    private ModelDirectory(ModelRepository.Entry entry) {
        this.entry = entry;
    }

    /** Every model of a repository, sorted by name; EngineException as the node's own scan gives it. */
    public static List<ModelDirectory> scan(Path modelsDir) throws EngineException {
        List<ModelDirectory> all = new ArrayList<>();
        for (ModelRepository.Entry e : ModelRepository.scan(modelsDir)) {
            all.add(new ModelDirectory(e));
        }
        return all;
    }

    /** {@code dir} served as {@code name}; EngineException if the name is invalid or there is no graph. */
    public static ModelDirectory of(String name, Path dir) throws EngineException {
        if (!validName(name)) {
            throw new EngineException("'" + Echo.clip(name) + "' is not a valid model name. Fix: use letters, digits,"
                    + " '.', '_' or '-' (at most 128, starting with a letter or digit).");
        }
        return new ModelDirectory(ModelRepository.entry(name, dir));
    }

    /** A model name is a URL path segment: {@code [A-Za-z0-9][A-Za-z0-9._-]{0,127}}. */
    public static boolean validName(String name) {
        return ModelRepository.validName(name);
    }

    public String name() {
        return entry.name();
    }

    public Path dir() {
        return entry.dir();
    }

    public Path modelFile() {
        return entry.modelFile();
    }

    /** The files the digest covers, relative to the directory, sorted; only the graph's header is read. */
    public List<String> files() throws EngineException {
        return List.copyOf(ModelFiles.files(entry).keySet());
    }

    /** Hashes the files as a load does, telling {@code progress} the bytes done of all of them. */
    public Digest digest(ByteProgress progress) throws EngineException {
        ModelFiles files = ModelFiles.of(entry, progress);
        return new Digest(files.paths(), files.sha256(), files.bytes());
    }

    /** The directory's config.yaml, checked as a load checks it (EngineException naming the key). */
    public Pins pins() throws EngineException {
        ModelConfig config = ModelLoader.readConfig(new ModelConfigReader(), entry);
        return new Pins(config.sha256(), config.task());
    }
}
