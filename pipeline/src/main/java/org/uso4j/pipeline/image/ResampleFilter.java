package org.uso4j.pipeline.image;

/**
 * Pillow's separable resampling filters (libImaging/Resample.c), each with its support radius at scale 1.
 * {@link #pillowCode()} is the integer PIL uses ({@code Image.LANCZOS == 1}, {@code Image.BICUBIC == 3}), the
 * value found in e.g. {@code preprocessor_config.json → resample}.
 */
public enum ResampleFilter {
    BOX(4, 0.5) {
        @Override double weight(double x) { return x > -0.5 && x <= 0.5 ? 1.0 : 0.0; }
    },
    BILINEAR(2, 1.0) {
        @Override double weight(double x) {
            if (x < 0.0) x = -x;
            return x < 1.0 ? 1.0 - x : 0.0;
        }
    },
    HAMMING(5, 1.0) {
        @Override double weight(double x) {
            if (x < 0.0) x = -x;
            if (x == 0.0) return 1.0;
            if (x >= 1.0) return 0.0;
            x = x * Math.PI;
            return StrictMath.sin(x) / x * (0.54 + 0.46 * StrictMath.cos(x));
        }
    },
    /** Keys' cubic with a = -0.5. */
    BICUBIC(3, 2.0) {
        @Override double weight(double x) {
            final double a = -0.5;
            if (x < 0.0) x = -x;
            if (x < 1.0) return ((a + 2.0) * x - (a + 3.0)) * x * x + 1;
            if (x < 2.0) return (((x - 5) * x + 8) * x - 4) * a;
            return 0.0;
        }
    },
    /** sinc(x) * sinc(x/3) on [-3, 3). */
    LANCZOS(1, 3.0) {
        @Override double weight(double x) {
            if (-3.0 <= x && x < 3.0) return sinc(x) * sinc(x / 3);
            return 0.0;
        }
    };

    private final int pillowCode;
    private final double support;

    ResampleFilter(int pillowCode, double support) {
        this.pillowCode = pillowCode;
        this.support = support;
    }

    /** The filter's value at {@code x} (in input pixels at scale 1). */
    abstract double weight(double x);

    public int pillowCode() { return pillowCode; }

    public double support() { return support; }

    /** The filter for a PIL resample code; NEAREST (0) is not a convolution and is refused. */
    public static ResampleFilter fromPillowCode(int code) {
        for (ResampleFilter f : values()) if (f.pillowCode == code) return f;
        throw new IllegalArgumentException("PIL resample code " + code + " is not supported (expected 1 LANCZOS, 2 BILINEAR, "
                + "3 BICUBIC, 4 BOX or 5 HAMMING)");
    }

    private static double sinc(double x) {
        if (x == 0.0) return 1.0;
        x = x * Math.PI;
        return StrictMath.sin(x) / x;
    }
}
