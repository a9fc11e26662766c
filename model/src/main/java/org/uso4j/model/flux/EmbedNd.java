package org.uso4j.model.flux;

import org.uso4j.core.Tensor;

/**
 * Rotary position tables from 3-axis token ids (flux {@code modules/layers.py EmbedND} + {@code math.py rope}).
 * Per axis a with d_a = axesDim[a]: {@code ω_j = 1/θ^(2j/d_a)}, angle = id_a·ω_j in float64, then
 * {@code [[cos, −sin], [sin, cos]]} cast to float32; axes concatenated along the pair dimension.
 */
public record EmbedNd(int theta, int[] axesDim) {
    public EmbedNd {
        axesDim = axesDim.clone();
    }

    /** ids [B, L, n_axes] → pe [B, 1, L, Σd_a/2, 2, 2]. */
    public Tensor forward(Tensor ids) {
        if (ids.rank() != 3 || ids.dim(2) != axesDim.length) {
            throw new IllegalArgumentException("ids must be [B, L, " + axesDim.length + "], got " + ids.shape());
        }
        int b = ids.dim(0), l = ids.dim(1), half = 0;
        for (int d : axesDim) half += d / 2;
        // ω per axis, float64 as the reference (scale = arange(0, d, 2, float64) / d; omega = 1 / theta**scale)
        double[][] omega = new double[axesDim.length][];
        for (int a = 0; a < axesDim.length; a++) {
            omega[a] = new double[axesDim[a] / 2];
            for (int j = 0; j < omega[a].length; j++) omega[a][j] = 1.0 / Math.pow(theta, (2.0 * j) / axesDim[a]);
        }
        float[] id = ids.toF32().floats(), pe = new float[b * l * half * 4];
        for (int t = 0; t < b * l; t++) {
            int o = t * half * 4;
            for (int a = 0; a < axesDim.length; a++) {
                double pos = id[t * axesDim.length + a];
                for (double w : omega[a]) {
                    double angle = pos * w;
                    float cos = (float) Math.cos(angle), sin = (float) Math.sin(angle);
                    pe[o] = cos;
                    pe[o + 1] = -sin;
                    pe[o + 2] = sin;
                    pe[o + 3] = cos;
                    o += 4;
                }
            }
        }
        return Tensor.wrap(pe, b, 1, l, half, 2, 2);
    }
}
