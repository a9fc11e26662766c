package org.uso4j.pipeline.generate;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
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

    /**
     * The PNG text chunks: {@code Software}, every setting as {@code uso4j.<key>}, and an AUTOMATIC1111-style
     * {@code parameters} string (prompt line, then {@code Steps: …, Sampler: Euler, …, Seed: …, Size: WxH, Model: …})
     * that image viewers and other UIs read.
     */
    public Map<String, String> pngText(String model) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("Software", "uso4j");
        meta.put("parameters", parameters(model));
        settings.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> meta.put("uso4j." + e.getKey(), String.valueOf(e.getValue())));
        return meta;
    }

    private String parameters(String model) {
        Object w = settings.getOrDefault("effective_width", settings.get("width")), h = settings.getOrDefault("effective_height", settings.get("height"));
        return String.valueOf(settings.get("prompt")) + "\n" + String.format(Locale.ROOT,
                "Steps: %s, Sampler: Euler, Schedule type: Simple, CFG scale: 1, Distilled CFG Scale: %s, Seed: %s, Size: %sx%s, Model: %s, USO mode: %s",
                settings.get("num_steps"), settings.get("guidance"), settings.get("seed"), w, h, model, settings.get("mode"));
    }
}
