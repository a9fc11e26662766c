package org.uso4j.pipeline.eval;

import java.util.ArrayList;
import java.util.List;
import org.uso4j.core.Tensor;

/**
 * The score arithmetic of UNO's evaluation script (CSD paired the same way), in double precision:
 * {@code unit(v) = v / sqrt(sum v²)} per row; an image metric is the mean of the |G| x |R| matrix of
 * {@code unit(g) · unit(r)}; CLIP-T is the mean over g of {@code w · max(0, unit(img_g) · unit(txt_g))} with w = 1.
 */
public final class PairScores {
    /** UNO's {@code get_clip_score(w=1.0)}. */
    public static final double CLIP_T_WEIGHT = 1.0;

    private PairScores() {}

    /** Rows of a [N, D] float tensor. */
    public static List<float[]> rows(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException("expected [N, D] features, got " + t.shape());
        float[] v = t.toF32().floats();
        int n = t.dim(0), d = t.dim(1);
        List<float[]> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            float[] r = new float[d];
            System.arraycopy(v, i * d, r, 0, d);
            out.add(r);
        }
        return out;
    }

    /** unit(a) · unit(b). */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("feature sizes differ: " + a.length + " vs " + b.length);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return dot / (Math.sqrt(na) * Math.sqrt(nb));
    }

    /** [|G|, |R|] cosines. */
    public static double[][] pairs(List<float[]> generated, List<float[]> references) {
        double[][] m = new double[generated.size()][references.size()];
        for (int i = 0; i < m.length; i++)
            for (int j = 0; j < references.size(); j++) m[i][j] = cosine(generated.get(i), references.get(j));
        return m;
    }

    /** Mean of every entry (NaN for an empty matrix). */
    public static double mean(double[][] m) {
        double s = 0;
        int n = 0;
        for (double[] r : m)
            for (double v : r) {
                s += v;
                n++;
            }
        return n == 0 ? Double.NaN : s / n;
    }

    /** Mean of the values (NaN when empty). */
    public static double mean(double[] v) {
        double s = 0;
        for (double x : v) s += x;
        return v.length == 0 ? Double.NaN : s / v.length;
    }

    /** One CLIP-T term: {@code w · max(0, cos)}. */
    public static double clipT(double cosine) { return CLIP_T_WEIGHT * Math.max(0, cosine); }

    /** A double array as a float32 tensor of the given dims. */
    public static Tensor tensor(double[] v, int... dims) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Tensor.wrap(f, dims);
    }

    /** A matrix as a float32 [rows, cols] tensor. */
    public static Tensor tensor(double[][] m) {
        int r = m.length, c = r == 0 ? 0 : m[0].length;
        double[] flat = new double[r * c];
        for (int i = 0; i < r; i++) System.arraycopy(m[i], 0, flat, i * c, c);
        return tensor(flat, r, c);
    }
}
