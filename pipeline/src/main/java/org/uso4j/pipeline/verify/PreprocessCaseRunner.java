package org.uso4j.pipeline.verify;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Backend;
import org.uso4j.pipeline.image.ImageDecoder;
import org.uso4j.pipeline.image.ReferencePreprocess;
import org.uso4j.pipeline.image.RgbImage;
import org.uso4j.pipeline.image.SiglipImageProcessor;
import org.uso4j.pipeline.image.SiglipProcessorConfig;

/**
 * Golden case {@code preprocess}: for every entry of {@code images}, (1) our decoder on the original file
 * against Pillow's decode ({@code decoded_rgb_png}, where given; JPEG/WebP decoders may differ), then, from
 * Pillow's decoded pixels so that decoder differences stay out, (2) {@code preprocess_ref} (resize size, crop box,
 * output PNG), (3) the SigLIP bicubic resize, (4) the tensors ({@code ae_input_tensor},
 * {@code siglip_pixel_values_tensor}) and the {@code lut/*} tables. Exact comparisons unless case.json gives a
 * tolerance.
 */
public final class PreprocessCaseRunner implements CaseRunner {
    private final ImageDecoder decoder = new ImageDecoder();

    @Override public boolean handles(GoldenCase c) {
        return c.json().path("images").isArray() && c.name().equals("preprocess");
    }

    @Override public void run(GoldenCase c, Backend backend, VerifyReport report) {
        int longSize = c.json().path("long_size").asInt(ReferencePreprocess.DEFAULT_LONG_SIZE);
        SiglipProcessorConfig siglipDefaults = c.json().has("siglip_preprocessor_config")
                ? SiglipProcessorConfig.fromJson(c.json().get("siglip_preprocessor_config"), c.dir() + "/case.json")
                : SiglipProcessorConfig.so400m384();
        for (JsonNode img : c.json().path("images")) {
            String name = img.path("name").asText(img.path("input_file").asText());
            try {
                runImage(c, img, name, longSize, siglipDefaults, report);
            } catch (RuntimeException e) {
                report.cannotRun(name, e.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
        for (String lut : new String[]{"lut/ae_input", "lut/siglip_pixel_value"}) {
            if (!c.has(lut)) continue;
            float[] v = new float[256];
            SiglipImageProcessor siglip = new SiglipImageProcessor(siglipDefaults);
            for (int i = 0; i < 256; i++) v[i] = lut.equals("lut/ae_input") ? ReferencePreprocess.aeValue(i) : siglip.value(i, 0);
            report.compare(lut, Tensor.wrap(v, 256), c.tensor(lut), c.atol(lut).orElse(0));
        }
    }

    private void runImage(GoldenCase c, JsonNode img, String name, int longSize, SiglipProcessorConfig siglipDefaults,
                          VerifyReport report) {
        RgbImage original = decoder.read(c.file(img.path("input_file").asText()));
        checkSize(report, name + "/input_size", new int[]{original.width(), original.height()}, img.path("input_size_wh"));
        RgbImage source = original;
        if (img.hasNonNull("decoded_rgb_png")) {
            RgbImage pillow = decoder.read(c.file(img.get("decoded_rgb_png").asText()));
            PixelComparison.compare(report, name + "/decoded[" + img.path("format").asText("?") + "]", original, pillow, 0);
            source = pillow;
        }

        JsonNode ref = img.path("preprocess_ref");
        if (ref.isObject()) {
            int ls = ref.path("long_size").asInt(longSize);
            checkSize(report, name + "/preprocess_ref/resized_size",
                    ReferencePreprocess.resizedSize(source.width(), source.height(), ls), ref.path("resized_size_wh"));
            RgbImage out = ReferencePreprocess.preprocessRef(source, ls);
            checkSize(report, name + "/preprocess_ref/output_size", new int[]{out.width(), out.height()}, ref.path("output_size_wh"));
            if (ref.hasNonNull("output_png")) {
                PixelComparison.compare(report, name + "/preprocess_ref", out, decoder.read(c.file(ref.get("output_png").asText())), 0);
            }
            if (img.hasNonNull("ae_input_tensor")) {
                String t = img.get("ae_input_tensor").asText();
                report.compare(t, ReferencePreprocess.aeInput(out), c.tensor(t), c.atol(t).orElse(0));
            }
        }

        JsonNode sig = img.path("siglip");
        if (sig.isObject()) {
            SiglipProcessorConfig cfg = sig.has("preprocessor_config")
                    ? SiglipProcessorConfig.fromJson(sig.get("preprocessor_config"), c.dir() + "/case.json") : siglipDefaults;
            SiglipImageProcessor processor = new SiglipImageProcessor(cfg);
            RgbImage resized = processor.resize(source);
            if (sig.hasNonNull("resized_png")) {
                PixelComparison.compare(report, name + "/siglip_resized", resized, decoder.read(c.file(sig.get("resized_png").asText())), 0);
            }
            if (img.hasNonNull("siglip_pixel_values_tensor")) {
                String t = img.get("siglip_pixel_values_tensor").asText();
                report.compare(t, processor.toTensor(resized), c.tensor(t), c.atol(t).orElse(0));
            }
        }
    }

    private static void checkSize(VerifyReport report, String output, int[] actual, JsonNode expected) {
        if (!expected.isArray()) return;
        int[] want = new int[expected.size()];
        for (int i = 0; i < want.length; i++) want[i] = expected.get(i).asInt();
        report.check(output, Arrays.equals(actual, want), Arrays.equals(actual, want) ? ""
                : "got " + Arrays.toString(actual) + ", expected " + Arrays.toString(want));
    }

}
