package org.uso4j.pipeline.files;

import java.nio.file.Path;

/** Hears what {@link HubDownloader} does; every method has an empty default. Called on the downloading thread. */
public interface DownloadListener {
    DownloadListener NONE = new DownloadListener() {};

    /** A transfer starts: {@code total} bytes (-1 unknown), {@code resumeFrom} of them already in the {@code .part} file. */
    default void started(WeightFile file, Path target, long total, long resumeFrom) {}

    /** {@code done} of {@code total} bytes (-1 unknown) are in the {@code .part} file; called often (every buffer). */
    default void progress(WeightFile file, long done, long total) {}

    /** A transfer attempt failed and will be retried (resuming) after a pause. */
    default void retrying(WeightFile file, String reason, int attempt, int maxAttempts) {}

    /** The file is done, present, kept or failed. */
    default void finished(DownloadResult result) {}
}
