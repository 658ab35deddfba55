package io.jmmdit.weights;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collection;

/**
 * jmmdit's one way to write an output file: into a temporary file in the target's directory (readable by all,
 * rw-r--r--), forced to disk, then renamed over the target atomically, so readers never see a partial file and a
 * failure leaves nothing behind; never onto one of the run's inputs.
 */
public final class AtomicFiles {

    /** Writes the content into the open temporary file. */
    @FunctionalInterface
    public interface Content {
        void writeTo(FileChannel channel) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Writes {@code target}; throws naming it when it is one of {@code inputs} (also via another path) or a directory. */
    public static void write(Path target, Collection<Path> inputs, Content content) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        refuseInputs(abs, inputs);
        if (Files.isDirectory(abs)) {
            throw new IOException("cannot write " + target + ": it is a directory");
        }
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                content.writeTo(ch);
                ch.force(true);
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IOException("cannot write " + target + ": " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Throws naming {@code target} when it is one of {@code inputs} (compared by path and, if both exist, as files). */
    public static void refuseInputs(Path target, Collection<Path> inputs) throws IOException {
        Path abs = target.toAbsolutePath().normalize();
        for (Path p : inputs) {
            if (p == null) {
                continue;
            }
            Path in = p.toAbsolutePath().normalize();
            if (in.equals(abs) || Files.exists(abs) && Files.exists(in) && Files.isSameFile(abs, in)) {
                throw new IOException("refusing to write " + target + ": it is an input of this run (" + p + ")");
            }
        }
    }
}
