package io.parallelix.node.daemon.cli;

import io.parallelix.node.gpu.ByteProgress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Copies or links a model's files into a staging directory, telling a progress the bytes done. */
final class ModelsCopy {
    private ModelsCopy() {}

    static void files(Path from, Path to, List<String> files, boolean link, ByteProgress progress) throws IOException {
        long total = size(from, files);
        long done = 0;
        progress.bytes(0, total);
        byte[] buffer = new byte[1 << 20];
        for (String file : files) {
            Path source = from.resolve(file);
            Path target = to.resolve(file);
            Files.createDirectories(target.getParent());
            if (link) {
                Files.createSymbolicLink(target, source.toRealPath());
                done += Files.size(source);
                progress.bytes(done, total);
                continue;
            }
            try (InputStream in = Files.newInputStream(source);
                    OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    out.write(buffer, 0, n);
                    done += n;
                    progress.bytes(Math.min(done, total), total);
                }
            }
        }
        progress.bytes(total, total);
    }

    static long size(Path dir, List<String> files) throws IOException {
        long total = 0;
        for (String f : files) {
            total += Files.size(dir.resolve(f));
        }
        return total;
    }

    /** "cannot copy A to B: No space left on device": the JDK's own message is often just the path. */
    static String describe(FileSystemException e) {
        String what = e.getOtherFile() == null ? e.getFile() : e.getFile() + " to " + e.getOtherFile();
        String why = e.getReason() != null
                ? e.getReason()
                : e instanceof java.nio.file.NoSuchFileException
                        ? "no such file"
                        : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : e.toString();
        return "cannot use " + what + ": " + why;
    }

    /** Best effort: a staging directory left by a crash is hidden, so the node ignores it anyway. */
    static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // left for the operator: the directory's name starts with '.', and the node skips it
        }
    }
}
