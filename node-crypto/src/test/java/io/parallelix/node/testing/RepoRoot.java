package io.parallelix.node.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The repository's root directory: {@code -Dpxnode.repo.root} when given, otherwise the nearest
 * directory at or above the working directory that holds {@code mvnw} (Surefire runs in the
 * module's directory, an IDE may run at the root).
 */
public final class RepoRoot {
    static final String PROPERTY = "pxnode.repo.root";

    private RepoRoot() {}

    public static Path path() {
        return find(System.getProperty(PROPERTY), Path.of(""));
    }

    /** {@code relative} inside the repository, e.g. {@code "scripts/verify_envelope.py"}. */
    public static Path resolve(String relative) {
        return path().resolve(relative);
    }

    static Path find(@Nullable String configured, Path workingDir) {
        if (configured != null) {
            Path root = Path.of(configured).toAbsolutePath().normalize();
            if (!isRoot(root)) {
                throw new IllegalStateException(PROPERTY + "=" + configured + " is not the repository root (no mvnw)");
            }
            return root;
        }
        Path start = workingDir.toAbsolutePath().normalize();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (isRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException(
                "cannot find the repository root (no mvnw at or above " + start + "); set -D" + PROPERTY);
    }

    private static boolean isRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("mvnw"));
    }
}
