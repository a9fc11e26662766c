package org.uso4j.pipeline.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.uso4j.pipeline.image.RgbImage;

/** The settings keep their order: the PNG text chunks follow it, so the same generation gives the same file in every JVM. */
class GenerationResultTest {
    @Test void settingsKeepTheirOrder() {
        Map<String, Object> settings = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            keys.add("key" + i);
            settings.put("key" + i, i);
        }
        GenerationResult r = new GenerationResult(new RgbImage(1, 1, new byte[3]), settings, 0);
        assertEquals(keys, new ArrayList<>(r.settings().keySet()));
    }
}
