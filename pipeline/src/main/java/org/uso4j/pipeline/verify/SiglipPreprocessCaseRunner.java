package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.uso4j.core.backend.Backend;
import org.uso4j.pipeline.image.RgbImage;
import org.uso4j.pipeline.image.SiglipImageProcessor;
import org.uso4j.pipeline.image.SiglipProcessorConfig;

/**
 * Golden case {@code siglip_preprocess}: per image, {@link SiglipImageProcessor} configured from the image's
 * {@code preprocessor_config}, on {@code NAME.image_hwc_uint8}; the resized uint8 image and the pixel values are
 * compared exactly (or within the case's tolerance, where it gives one).
 */
public final class SiglipPreprocessCaseRunner implements CaseRunner {
    @Override public boolean handles(GoldenCase c) {
        return c.name().equals("siglip_preprocess") && c.json().path("images").isObject();
    }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) {
        for (Map.Entry<String, JsonNode> e : GoldenCase.fields(c.json().get("images"))) {
            String name = e.getKey();
            try {
                SiglipImageProcessor processor = new SiglipImageProcessor(
                        SiglipProcessorConfig.fromJson(e.getValue().path("preprocessor_config"), c.dir() + "/case.json → images." + name));
                RgbImage input = PixelComparison.fromHwcU8(c.tensor(name + ".image_hwc_uint8"), name + ".image_hwc_uint8");
                RgbImage resized = processor.resize(input);
                String r = name + ".resized_hwc_uint8";
                if (c.has(r)) {
                    PixelComparison.compare(report, r, resized, PixelComparison.fromHwcU8(c.tensor(r), r), c.atol(r).orElse(0));
                }
                String p = name + ".pixel_values";
                report.compare(p, processor.toTensor(resized), c.tensor(p), c.atol(p).orElse(0));
            } catch (RuntimeException ex) {
                report.cannotRun(name, ex.getClass().getSimpleName() + ": " + ex.getMessage());
            }
        }
    }
}
