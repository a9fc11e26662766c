package org.uso4j.pipeline.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * The hook through which an evaluation obtains the generated images of an item that the images folder does not
 * hold yet. Scoring never depends on how the images were made.
 */
public interface ImageGenerator {
    /** Generates the images of {@code item} into {@code imagesDir} under {@link BenchmarkItem#imageStem} names; returns their paths. */
    List<Path> generate(BenchmarkItem item, Path imagesDir);

    /** For scoring only: a missing image is an error naming the file that was looked for. */
    static ImageGenerator unavailable() {
        return (item, dir) -> {
            throw new IllegalStateException("item " + item.index() + ": no generated image " + dir.resolve(item.imageStem(0) + ".png")
                    + " and generation not available (make them with 'uso4j generate --eval-json-path SPEC --save-path IMAGES', or add --generate --models DIR here)");
        };
    }
}
