package org.uso4j.pipeline.image;

/** HWC bytes to CHW float planes through a per-byte lookup table (the exact float32 value of each byte). */
final class PixelPlanes {
    private PixelPlanes() {}

    /** [3, H, W] (channel-first) values {@code lut[byte]}. */
    static float[] chw(RgbImage image, float[] lut) {
        int plane = image.width() * image.height();
        byte[] rgb = image.rgb();
        float[] out = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            out[i] = lut[rgb[3 * i] & 0xFF];
            out[plane + i] = lut[rgb[3 * i + 1] & 0xFF];
            out[2 * plane + i] = lut[rgb[3 * i + 2] & 0xFF];
        }
        return out;
    }
}
