package org.uso4j.pipeline.generate;

import java.util.Map;
import org.uso4j.pipeline.image.RgbImage;

/** A finished generation: the image, the settings that made it (for metadata and sidecars) and the time taken. */
public record GenerationResult(RgbImage image, Map<String, Object> settings, double seconds) {
    public GenerationResult {
        settings = Map.copyOf(settings);
    }
}
