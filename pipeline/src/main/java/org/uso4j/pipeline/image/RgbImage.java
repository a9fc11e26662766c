package org.uso4j.pipeline.image;

/**
 * An 8-bit RGB image, row-major HWC: pixel (x, y) channel c is {@code rgb[(y * width + x) * 3 + c] & 0xFF}.
 * The array is owned by the record (not copied); treat it as immutable.
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width < 1 || height < 1) throw new IllegalArgumentException("image size must be >= 1x1, got " + width + "x" + height);
        if (rgb == null || (long) width * height * 3 != rgb.length) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB image needs " + (long) width * height * 3
                    + " bytes, got " + (rgb == null ? "null" : rgb.length));
        }
    }

    /** Channel {@code c} of pixel (x, y), 0..255. */
    public int get(int x, int y, int c) { return rgb[(y * width + x) * 3 + c] & 0xFF; }

    /** The sub-image {@code [left, left + w) x [top, top + h)} (PIL {@code Image.crop((left, top, left + w, top + h))} inside bounds). */
    public RgbImage crop(int left, int top, int w, int h) {
        if (left < 0 || top < 0 || w < 1 || h < 1 || left + w > width || top + h > height) {
            throw new IllegalArgumentException("crop " + w + "x" + h + " at (" + left + ", " + top + ") outside a " + width + "x" + height + " image");
        }
        byte[] out = new byte[w * h * 3];
        for (int y = 0; y < h; y++) System.arraycopy(rgb, ((top + y) * width + left) * 3, out, y * w * 3, w * 3);
        return new RgbImage(w, h, out);
    }

    /** Whether both images have the same size and pixels. */
    public boolean samePixels(RgbImage o) {
        return width == o.width && height == o.height && java.util.Arrays.equals(rgb, o.rgb);
    }

    @Override public String toString() { return "RgbImage[" + width + "x" + height + "]"; }
}
