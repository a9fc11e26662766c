package org.uso4j.pipeline.image;

import org.uso4j.core.Tensor;

/**
 * Style-image preparation for the SigLIP vision tower: transformers {@code SiglipImageProcessor}
 * ({@code image_processing_siglip.py preprocess}) on an RGB image. The original image (not the preprocess_ref
 * output) is resized to the configured size ignoring the aspect ratio with Pillow's filter, then
 * {@code float32(u8 * rescale_factor)} (product in float64) and {@code (x - mean) / std} in float32,
 * channel-first with a batch dimension.
 */
public final class SiglipImageProcessor {
    private final SiglipProcessorConfig config;
    private final float[][] lut = new float[3][256];

    public SiglipImageProcessor(SiglipProcessorConfig config) {
        this.config = config;
        for (int c = 0; c < 3; c++) for (int v = 0; v < 256; v++) lut[c][v] = value(v, c);
    }

    public SiglipProcessorConfig config() { return config; }

    /** The resized uint8 image (the processor's intermediate; equal to the input when do_resize is false). */
    public RgbImage resize(RgbImage image) {
        if (!config.doResize()) return image;
        return PillowResize.resize(image, config.width(), config.height(), config.resample());
    }

    /** {@code pixel_values}: float32 [1, 3, H, W]. */
    public Tensor pixelValues(RgbImage image) { return toTensor(resize(image)); }

    /** The rescale/normalise step alone on an already resized image: float32 [1, 3, H, W]. */
    public Tensor toTensor(RgbImage resized) {
        int plane = resized.width() * resized.height();
        float[] out = new float[3 * plane];
        byte[] rgb = resized.rgb();
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) out[c * plane + i] = lut[c][rgb[3 * i + c] & 0xFF];
        }
        return Tensor.wrap(out, 1, 3, resized.height(), resized.width());
    }

    /** Channel {@code c}'s float32 value for byte {@code v}: {@code (float32(v * factor) - mean) / std}. */
    public float value(int v, int c) {
        float x = config.doRescale() ? (float) (v * config.rescaleFactor()) : (float) v;
        return config.doNormalize() ? (x - config.imageMean()[c]) / config.imageStd()[c] : x;
    }
}
