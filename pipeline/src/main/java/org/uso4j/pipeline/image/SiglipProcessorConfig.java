package org.uso4j.pipeline.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;

/**
 * {@code SiglipImageProcessor} settings ({@code preprocessor_config.json}). Defaults are the transformers class
 * defaults, which match {@code google/siglip-so400m-patch14-384} except for the size (its file says 384).
 */
public record SiglipProcessorConfig(boolean doResize, int height, int width, ResampleFilter resample,
                                    boolean doRescale, double rescaleFactor, boolean doNormalize,
                                    float[] imageMean, float[] imageStd) {
    public SiglipProcessorConfig {
        if (height < 1 || width < 1) throw new IllegalArgumentException("SigLIP size must be >= 1, got " + width + "x" + height);
        if (imageMean.length != 3 || imageStd.length != 3) throw new IllegalArgumentException("image_mean/image_std need 3 values");
        imageMean = imageMean.clone();
        imageStd = imageStd.clone();
    }

    /** {@code google/siglip-so400m-patch14-384}: resize to 384x384 BICUBIC, rescale 1/255, normalize with 0.5/0.5. */
    public static SiglipProcessorConfig so400m384() {
        return new SiglipProcessorConfig(true, 384, 384, ResampleFilter.BICUBIC, true, 1 / 255.0, true,
                new float[]{0.5f, 0.5f, 0.5f}, new float[]{0.5f, 0.5f, 0.5f});
    }

    /** Reads a {@code preprocessor_config.json}; absent fields take the SiglipImageProcessor defaults. */
    public static SiglipProcessorConfig read(Path file) {
        try {
            return fromJson(new ObjectMapper().readTree(file.toFile()), file.toString());
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read preprocessor config: " + e.getMessage(), e);
        }
    }

    /** From the JSON object ({@code source} names it in errors). */
    public static SiglipProcessorConfig fromJson(JsonNode j, String source) {
        if (j == null || !j.isObject()) throw new IllegalArgumentException(source + ": preprocessor config is not a JSON object");
        // SiglipImageProcessor defaults: size 224x224, resample BICUBIC, rescale 1/255, mean = std = 0.5
        int h = 224, w = 224;
        JsonNode size = j.path("size");
        if (size.isObject()) {
            if (size.has("height") || size.has("width")) {
                h = positive(size.path("height"), "size.height", source);
                w = positive(size.path("width"), "size.width", source);
            } else if (size.has("shortest_edge")) {
                throw new IllegalArgumentException(source + ": size.shortest_edge is not supported by SiglipImageProcessor (expected height/width)");
            }
        } else if (size.isInt()) {
            h = w = positive(size, "size", source);
        }
        return new SiglipProcessorConfig(j.path("do_resize").asBoolean(true), h, w,
                ResampleFilter.fromPillowCode(j.path("resample").asInt(ResampleFilter.BICUBIC.pillowCode())),
                j.path("do_rescale").asBoolean(true), j.path("rescale_factor").asDouble(1 / 255.0),
                j.path("do_normalize").asBoolean(true), triple(j.path("image_mean"), source, "image_mean"),
                triple(j.path("image_std"), source, "image_std"));
    }

    private static int positive(JsonNode n, String field, String source) {
        if (!n.canConvertToInt() || n.asInt() < 1) throw new IllegalArgumentException(source + ": " + field + " must be a positive integer, got " + n);
        return n.asInt();
    }

    private static float[] triple(JsonNode n, String source, String field) {
        if (n.isMissingNode() || n.isNull()) return new float[]{0.5f, 0.5f, 0.5f};
        if (n.isNumber()) return new float[]{(float) n.asDouble(), (float) n.asDouble(), (float) n.asDouble()};
        if (!n.isArray() || n.size() != 3) throw new IllegalArgumentException(source + ": " + field + " must be 3 numbers, got " + n);
        return new float[]{(float) n.get(0).asDouble(), (float) n.get(1).asDouble(), (float) n.get(2).asDouble()};
    }
}
