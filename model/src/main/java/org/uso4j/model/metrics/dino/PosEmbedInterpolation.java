package org.uso4j.model.metrics.dino;

import org.uso4j.core.Tensor;

/**
 * The resampling matrix of DINO's {@code interpolate_pos_encoding}: PyTorch
 * {@code F.interpolate(table[n, n], scale_factor=((gh + 0.1) / n, (gw + 0.1) / n), mode='bicubic',
 * align_corners=False)} (no antialias), which samples with that factor, not with the size ratio. Per axis,
 * output index i reads {@code src = (i + 0.5) * n / (g + 0.1) - 0.5}, taps {@code floor(src) - 1 .. + 2} clamped
 * to the table, cubic convolution weights with A = -0.75; the 2-D result is the separable product. The matrix
 * row {@code y * gw + x} holds the weight of each table cell {@code a * n + b}, so
 * {@code interpolated [gh*gw, D] = matrix [gh*gw, n*n] · table [n*n, D]}.
 */
final class PosEmbedInterpolation {
    /** PyTorch's cubic convolution constant (upsample_bicubic2d). */
    static final double A = -0.75;
    /** DINO's offset against floating-point error in the output size: scale = (g + 0.1) / n. */
    static final double OFFSET = 0.1;

    private PosEmbedInterpolation() {}

    /** [gh * gw, n * n] for an n x n table resampled to gh x gw. */
    static Tensor matrix(int n, int gh, int gw) {
        double[][] wy = axis(n, gh), wx = axis(n, gw);
        float[] m = new float[gh * gw * n * n];
        for (int y = 0; y < gh; y++)
            for (int x = 0; x < gw; x++)
                for (int a = 0; a < n; a++)
                    for (int b = 0; b < n; b++) m[((y * gw + x) * n + a) * n + b] = (float) (wy[y][a] * wx[x][b]);
        return Tensor.wrap(m, gh * gw, n * n);
    }

    /** Per output index, the weight of each of the n inputs (clamped taps accumulate). */
    static double[][] axis(int n, int g) {
        double[][] w = new double[g][n];
        double scale = n / (g + OFFSET); // 1 / scale_factor
        for (int i = 0; i < g; i++) {
            double src = (i + 0.5) * scale - 0.5;
            int i0 = (int) Math.floor(src);
            double t = src - i0;
            double[] c = coefficients(t);
            for (int k = 0; k < 4; k++) w[i][Math.clamp(i0 - 1 + k, 0, n - 1)] += c[k];
        }
        return w;
    }

    /** get_cubic_upsample_coefficients(t): the weights of taps i0-1, i0, i0+1, i0+2. */
    static double[] coefficients(double t) {
        double x1 = t + 1, x2 = 1 - t, x3 = 2 - t;
        return new double[]{
                ((A * x1 - 5 * A) * x1 + 8 * A) * x1 - 4 * A,
                ((A + 2) * t - (A + 3)) * t * t + 1,
                ((A + 2) * x2 - (A + 3)) * x2 * x2 + 1,
                ((A * x3 - 5 * A) * x3 + 8 * A) * x3 - 4 * A};
    }
}
