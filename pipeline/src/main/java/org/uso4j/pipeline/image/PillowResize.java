package org.uso4j.pipeline.image;

/**
 * Pillow's {@code Image.resize(size, filter)} for 8-bit RGB images, pixel for pixel (libImaging/Resample.c,
 * Pillow 9.4, no box, no reducing_gap): a horizontal pass into an 8-bit intermediate holding only the rows the
 * vertical pass reads, then a vertical pass. Per output index, the filter (widened by the scale when
 * downscaling) gives double weights, normalised to sum 1, then rounded to 22-bit fixed point; sums start at
 * 2^21 and are shifted back and clipped to 0..255. A pass is skipped when its axis keeps its size.
 */
public final class PillowResize {
    private static final int PRECISION_BITS = 32 - 8 - 2;

    private PillowResize() {}

    /** {@code image.resize((width, height), filter)}. */
    public static RgbImage resize(RgbImage in, int width, int height, ResampleFilter filter) {
        if (width < 1 || height < 1) throw new IllegalArgumentException("resize target must be >= 1x1, got " + width + "x" + height);
        if (width == in.width() && height == in.height()) return new RgbImage(width, height, in.rgb().clone());
        boolean horizontal = width != in.width();
        boolean vertical = height != in.height();
        Coefficients h = Coefficients.of(in.width(), width, filter);
        Coefficients v = Coefficients.of(in.height(), height, filter);

        byte[] src = in.rgb();
        int srcWidth = in.width();
        int rowOffset = 0;
        int rows = in.height();
        if (horizontal) {
            // only the source rows the vertical pass reads: [first, last)
            int first = v.min[0];
            int last = v.min[height - 1] + v.count[height - 1];
            if (!vertical) {
                first = 0;
                last = in.height();
            }
            src = horizontalPass(src, srcWidth, first, last - first, h);
            srcWidth = width;
            rowOffset = first;
            rows = last - first;
        }
        if (!vertical) return new RgbImage(width, height, src);
        return new RgbImage(width, height, verticalPass(src, srcWidth, rows, rowOffset, v));
    }

    /** Rows {@code [firstRow, firstRow + rowCount)} of {@code src}, resampled along x. */
    private static byte[] horizontalPass(byte[] src, int srcWidth, int firstRow, int rowCount, Coefficients c) {
        int outWidth = c.min.length;
        byte[] out = new byte[outWidth * rowCount * 3];
        for (int y = 0; y < rowCount; y++) {
            int rowBase = (firstRow + y) * srcWidth * 3;
            for (int xx = 0; xx < outWidth; xx++) {
                int k0 = xx * c.ksize, xmin = c.min[xx], n = c.count[xx];
                int s0 = 1 << (PRECISION_BITS - 1), s1 = s0, s2 = s0;
                for (int x = 0; x < n; x++) {
                    int k = c.fixed[k0 + x];
                    int p = rowBase + (xmin + x) * 3;
                    s0 += (src[p] & 0xFF) * k;
                    s1 += (src[p + 1] & 0xFF) * k;
                    s2 += (src[p + 2] & 0xFF) * k;
                }
                int o = (y * outWidth + xx) * 3;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return out;
    }

    /** Resampled along y; {@code rowOffset} is the source row held at index 0 of {@code src}. */
    private static byte[] verticalPass(byte[] src, int width, int rows, int rowOffset, Coefficients c) {
        int outHeight = c.min.length;
        byte[] out = new byte[width * outHeight * 3];
        for (int yy = 0; yy < outHeight; yy++) {
            int k0 = yy * c.ksize, ymin = c.min[yy] - rowOffset, n = c.count[yy];
            if (ymin < 0 || ymin + n > rows) throw new IllegalStateException("vertical bounds outside the intermediate rows");
            for (int xx = 0; xx < width; xx++) {
                int s0 = 1 << (PRECISION_BITS - 1), s1 = s0, s2 = s0;
                for (int y = 0; y < n; y++) {
                    int k = c.fixed[k0 + y];
                    int p = ((ymin + y) * width + xx) * 3;
                    s0 += (src[p] & 0xFF) * k;
                    s1 += (src[p + 1] & 0xFF) * k;
                    s2 += (src[p + 2] & 0xFF) * k;
                }
                int o = (yy * width + xx) * 3;
                out[o] = clip8(s0);
                out[o + 1] = clip8(s1);
                out[o + 2] = clip8(s2);
            }
        }
        return out;
    }

    private static byte clip8(int sum) {
        int v = sum >> PRECISION_BITS;
        return (byte) (v < 0 ? 0 : Math.min(v, 255));
    }

    /** precompute_coeffs + normalize_coeffs_8bpc for one axis: per output index, first input, count, fixed-point weights. */
    record Coefficients(int ksize, int[] min, int[] count, int[] fixed) {
        static Coefficients of(int inSize, int outSize, ResampleFilter filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            int ksize = (int) Math.ceil(support) * 2 + 1;
            int[] min = new int[outSize], count = new int[outSize];
            int[] fixed = new int[outSize * ksize];
            double[] w = new double[ksize];
            double ss = 1.0 / filterScale;
            for (int xx = 0; xx < outSize; xx++) {
                double center = (xx + 0.5) * scale;
                int xmin = (int) (center - support + 0.5);
                if (xmin < 0) xmin = 0;
                int xmax = (int) (center + support + 0.5);
                if (xmax > inSize) xmax = inSize;
                xmax -= xmin;
                double ww = 0.0;
                for (int x = 0; x < xmax; x++) {
                    double v = filter.weight((x + xmin - center + 0.5) * ss);
                    w[x] = v;
                    ww += v;
                }
                for (int x = 0; x < xmax; x++) {
                    double v = ww != 0.0 ? w[x] / ww : w[x];
                    fixed[xx * ksize + x] = v < 0 ? (int) (-0.5 + v * (1 << PRECISION_BITS))
                            : (int) (0.5 + v * (1 << PRECISION_BITS));
                }
                min[xx] = xmin;
                count[xx] = xmax;
            }
            return new Coefficients(ksize, min, count, fixed);
        }
    }
}
