package org.uso4j.pipeline.files;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What happened to one file.
 *
 * @param file   the catalog entry
 * @param target its final local path
 * @param status see {@link Status}
 * @param bytes  size of the local file ({@link Status#FAILED}: bytes kept in the {@code .part} file)
 * @param note   the reason for {@link Status#FAILED} / {@link Status#KEPT}, what was checked otherwise
 */
public record DownloadResult(WeightFile file, Path target, Status status, long bytes, String note) {
    public enum Status {
        /** Fetched (or finished from a {@code .part} file), checked and moved into place. */
        DOWNLOADED,
        /** Already there with the size the hub announces; not fetched again. */
        PRESENT,
        /** Already there, but the hub could not be asked (offline, no token); kept as it is. */
        KEPT,
        /** Not downloaded; no file was written under the final name. */
        FAILED
    }

    public DownloadResult {
        Objects.requireNonNull(file);
        Objects.requireNonNull(target);
        Objects.requireNonNull(status);
        note = note == null ? "" : note;
    }

    public boolean ok() {
        return status != Status.FAILED;
    }
}
