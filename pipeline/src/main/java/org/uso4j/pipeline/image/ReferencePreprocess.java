package org.uso4j.pipeline.image;

import org.uso4j.core.Tensor;

/**
 * Content (reference) image preparation for the VAE, as USO does it. Port of
 * {@code uso/flux/pipeline.py preprocess_ref} and of the AE input scaling in {@code USOPipeline.__call__}.
 */
public final class ReferencePreprocess {
    /** USO's default long side ({@code preprocess_ref(long_size=512)}; inference.py {@code --content_ref}). */
    public static final int DEFAULT_LONG_SIZE = 512;
    /** Reference sizes are cropped to multiples of this (VAE factor 8 x 2x2 packing). */
    public static final int MULTIPLE = 16;

    private ReferencePreprocess() {}

    /** The resized size (before cropping) {@code {w, h}}: long side = longSize, short side truncated in float64. */
    public static int[] resizedSize(int width, int height, int longSize) {
        if (width >= height) return new int[]{longSize, (int) ((double) longSize / width * height)};
        return new int[]{(int) ((double) longSize / height * width), longSize};
    }

    /**
     * {@code preprocess_ref(image, long_size)}: Pillow LANCZOS resize to long side {@code longSize} (short side
     * {@code int((long / w) * h)}, which can be one less than {@code long*h // w}), then a centre crop to
     * multiples of 16 with offsets {@code (new - target) // 2}. A 16x16 image is returned unchanged (as the
     * official code does). Fails, naming the sizes, when the crop would be empty.
     */
    public static RgbImage preprocessRef(RgbImage image, int longSize) {
        requireCroppable(image.width(), image.height(), longSize);
        if (image.width() == MULTIPLE && image.height() == MULTIPLE) return image;
        int[] size = resizedSize(image.width(), image.height(), longSize);
        int newW = size[0], newH = size[1];
        int targetW = newW / MULTIPLE * MULTIPLE, targetH = newH / MULTIPLE * MULTIPLE;
        RgbImage resized = PillowResize.resize(image, newW, newH, ResampleFilter.LANCZOS);
        return resized.crop((newW - targetW) / 2, (newH - targetH) / 2, targetW, targetH);
    }

    /**
     * Fails, naming the sizes, when {@link #preprocessRef} would refuse a {@code width}x{@code height} image: the
     * resized short side is under 16 pixels, so the crop would be empty (checked when a request is made, before
     * any computation).
     */
    public static void requireCroppable(int width, int height, int longSize) {
        if (longSize < MULTIPLE) throw new IllegalArgumentException("long_size must be >= " + MULTIPLE + ", got " + longSize);
        if (width == MULTIPLE && height == MULTIPLE) return;
        int[] size = resizedSize(width, height, longSize);
        if (size[0] / MULTIPLE < 1 || size[1] / MULTIPLE < 1) {
            throw new IllegalArgumentException("reference image " + width + "x" + height + " resized to " + size[0]
                    + "x" + size[1] + " (long side " + longSize + ") is too thin to crop to multiples of " + MULTIPLE);
        }
    }

    /** {@code preprocess_ref} with the default long side 512. */
    public static RgbImage preprocessRef(RgbImage image) { return preprocessRef(image, DEFAULT_LONG_SIZE); }

    /** The VAE input value for a byte: {@code TVF.to_tensor(img) * 2 - 1} = {@code (float(v) / 255f) * 2f - 1f}. */
    public static float aeValue(int v) { return (float) v / 255f * 2f - 1f; }

    /** {@code (TVF.to_tensor(image) * 2.0 - 1.0)[None]}: float32 [1, 3, H, W] in [-1, 1]. */
    public static Tensor aeInput(RgbImage image) {
        float[] lut = new float[256];
        for (int v = 0; v < 256; v++) lut[v] = aeValue(v);
        return Tensor.wrap(PixelPlanes.chw(image, lut), 1, 3, image.height(), image.width());
    }
}
