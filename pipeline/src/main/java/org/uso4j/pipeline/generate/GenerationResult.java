package org.uso4j.pipeline.generate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.uso4j.pipeline.image.RgbImage;

/**
 * A finished generation: the image, the settings that made it (for metadata and sidecars) and the time taken. The
 * settings keep their order (the PNG text chunks are written in it: {@code Map.copyOf} would shuffle them differently
 * in every JVM, so the same generation would not give the same file twice).
 */
public record GenerationResult(RgbImage image, Map<String, Object> settings, double seconds) {
    public GenerationResult {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }
}
