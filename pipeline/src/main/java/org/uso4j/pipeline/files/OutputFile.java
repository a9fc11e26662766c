package org.uso4j.pipeline.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * A finished output file written so that nobody ever sees it half-written: the bytes go to a hidden temporary
 * name that is unique to this writer ({@code .<name>.<random>.tmp}, created exclusively, permissions from the
 * umask), which is then published under the final name, either replacing what is there or only if that name is
 * still free (a hard link, which fails atomically when another writer took the name first).
 */
public final class OutputFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OutputFile() {}

    /** Writes {@code body} to a fresh temporary file beside {@code target} (creating the folder) and returns its path. */
    public static Path stage(Path target, byte[] body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        for (int attempt = 0; ; attempt++) {
            byte[] r = new byte[6];
            RANDOM.nextBytes(r);
            Path tmp = dir.resolve("." + target.getFileName() + "." + HexFormat.of().formatHex(r) + ".tmp");
            try {
                Files.write(tmp, body, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                return tmp;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 8) throw e;
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
        }
    }

    /** Moves {@code staged} over {@code target}, replacing it (atomically where the file system can). */
    public static void replace(Path staged, Path target) throws IOException {
        try {
            Files.move(staged, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Publishes {@code staged} as {@code target} only if no file has that name: true when it did (the staged name is
     * gone), false when the name is taken (the staged file stays for another try). Never overwrites.
     */
    public static boolean claim(Path staged, Path target) throws IOException {
        try {
            Files.createLink(target, staged);
        } catch (FileAlreadyExistsException e) {
            return false;
        } catch (UnsupportedOperationException | FileSystemException e) {
            // no hard links here (some network and FAT file systems): a move that refuses an existing target
            if (Files.exists(target)) return false;
            try {
                Files.move(staged, target);
                return true;
            } catch (FileAlreadyExistsException taken) {
                return false;
            }
        }
        Files.delete(staged);
        return true;
    }

    /** Best-effort removal of a staged file that will not be published. */
    public static void discard(Path staged) {
        if (staged == null) return;
        try {
            Files.deleteIfExists(staged);
        } catch (IOException ignored) {
            // the name is hidden and unique: a leftover never shadows a result
        }
    }
}
