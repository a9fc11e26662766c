package org.uso4j.pipeline.image;

import java.nio.file.Path;

/** An image file that cannot be read or written; the message names the file and what was wrong. */
public final class ImageFileException extends RuntimeException {
    public ImageFileException(Path file, String problem) { super(file + ": " + problem); }

    public ImageFileException(Path file, String problem, Throwable cause) { super(file + ": " + problem, cause); }
}
