package org.uso4j.core.backend;

import org.uso4j.core.Dequantize;
import org.uso4j.core.Tensor;

/** Small table-building ops shared by both host backends (cheap; exactness matters, not speed). */
public final class Embeddings {
    private Embeddings() {}

    /**
     * FLUX {@code timestep_embedding}: {@code t = timeFactor·t}; {@code freqs = exp(-ln(maxPeriod)·arange(half)/half)}
     * in float32 (PyTorch computes the exponent in float32 then exp in float32); {@code args = t[:, None]·freqs};
     * {@code cat(cos, sin)}.
     */
    public static Tensor timestep(Tensor t, int dim, float timeFactor, float maxPeriod) {
        if (t.rank() != 1) throw Checks.fail("timestepEmbedding", "t must be [N], got " + t.shape());
        int n = t.dim(0), half = dim / 2;
        float[] ts = t.toF32().floats(), out = new float[n * dim];
        float logMax = (float) Math.log(maxPeriod);
        float[] freqs = new float[half];
        for (int i = 0; i < half; i++) {
            float e = -logMax * (float) i / (float) half; // float32 arithmetic, as torch.arange(float32)
            freqs[i] = (float) Math.exp(e);
        }
        for (int r = 0; r < n; r++) {
            float tt = timeFactor * ts[r];
            for (int i = 0; i < half; i++) {
                float a = tt * freqs[i];
                out[r * dim + i] = (float) Math.cos(a);
                out[r * dim + half + i] = (float) Math.sin(a);
            }
        }
        return Tensor.wrap(out, n, dim);
    }

    /** FLUX {@code EmbedND} ({@code modules/layers.py}) + {@code math.py rope}: see {@link Backend#ropeTable}. */
    public static Tensor ropeTable(Tensor ids, int theta, int[] axesDim) {
        if (ids.rank() != 3 || ids.dim(2) != axesDim.length) {
            throw Checks.fail("ropeTable", "ids must be [B, L, " + axesDim.length + "], got " + ids.shape());
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

    public static Tensor lookup(Tensor table, long[] ids) {
        if (table.rank() != 2) throw Checks.fail("embedding", "table must be [V, D], got " + table.shape());
        int v = table.dim(0), d = table.dim(1);
        float[] out = new float[ids.length * d];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= v) throw Checks.fail("embedding", "id " + ids[i] + " outside the table of " + v + " rows");
            Dequantize.decode(table.dtype(), table.segment(), ids[i] * d, out, i * d, d);
        }
        return Tensor.wrap(out, ids.length, d);
    }
}
