package org.uso4j.pipeline.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * What the models folder already holds of a catalog file, without asking the hub (for {@code --dry-run}).
 *
 * @param file         the catalog entry
 * @param target       its final path
 * @param presentBytes size of the final file, -1 when absent
 * @param partBytes    size of its {@code .part} file, -1 when absent
 */
public record LocalCopy(WeightFile file, Path target, long presentBytes, long partBytes) {

    /** The local state of {@code file} under {@code modelsDir}. */
    public static LocalCopy of(Path modelsDir, WeightFile file) {
        Path target = HubDownloader.targetOf(modelsDir, file);
        return new LocalCopy(file, target, sizeOrMinusOne(target), sizeOrMinusOne(HubDownloader.partOf(target)));
    }

    /** The local state of each file. */
    public static List<LocalCopy> of(Path modelsDir, List<WeightFile> files) {
        return files.stream().map(f -> of(modelsDir, f)).toList();
    }

    public boolean present() {
        return presentBytes >= 0;
    }

    /** Approximate bytes still to fetch: 0 when present, else the catalog size less what a {@code .part} holds. */
    public long approxBytesToFetch() {
        if (present()) return 0;
        return Math.max(0, file.approxBytes() - Math.max(0, partBytes));
    }

    private static long sizeOrMinusOne(Path p) {
        try {
            return Files.isRegularFile(p) ? Files.size(p) : -1;
        } catch (IOException e) {
            return -1;
        }
    }
}
