package org.uso4j.core.backend;

import static org.uso4j.core.backend.GemmKernel.NR;

import java.util.Arrays;
import org.uso4j.core.Dequantize;
import org.uso4j.core.Tensor;

/**
 * 2-D convolution as a GEMM over im2col tiles, written straight into NCHW: for a block of output pixels P,
 * {@code out[co, P] (+)= W[co, k-tile] · col[k-tile, P]} with the weight (any dtype) decoded one K tile at a time
 * as the broadcast operand and {@code col[(ci, ky, kx), p]} (the zero-padded input patches, k-major) as the
 * vector operand. Work items are (batch, band of output rows); each output is one in-order fma chain over
 * (ci, ky, kx), whatever the banding or thread. Scalar twin: {@link ScalarBackend#conv2d}.
 */
final class Conv2dKernel {
    private Conv2dKernel() {}

    /** Output pixels per work item (about): col tile KC × P floats stays in L2. */
    private static final int TARGET_PIXELS = 512;

    static float[] run(Workers workers, float[] x, Checks.Conv c, int stride, int[] pad, Tensor weight, float[] bias) {
        int in = c.cin() * c.kh() * c.kw(), plane = c.oh() * c.ow();
        float[] out = new float[c.b() * c.cout() * plane];
        int bandRows = Math.max(1, Math.min(c.oh(), TARGET_PIXELS / Math.max(1, c.ow())));
        int bands = (c.oh() + bandRows - 1) / bandRows;
        int ldb = Gemm.roundUp(bandRows * c.ow(), NR);
        // Block-quantized weights decode whole blocks only; conv rows rarely align, so decode those once.
        Tensor w = weight.dtype().isQuantized() ? weight.toF32() : weight;
        float[][] cols = new float[workers.threads()][], wts = new float[workers.threads()][], rows = new float[workers.threads()][];
        long flops = 2L * c.b() * c.cout() * plane * in;
        workers.forEach(c.b() * bands, flops > 200_000, (worker, item) -> {
            if (cols[worker] == null) {
                cols[worker] = new float[Gemm.KC * ldb];
                wts[worker] = new float[c.cout() * Gemm.KC];
                rows[worker] = new float[ldb];
            }
            float[] col = cols[worker], wt = wts[worker], row = rows[worker];
            int n = item / bands, oy0 = (item % bands) * bandRows, oy1 = Math.min(c.oh(), oy0 + bandRows);
            int p0 = oy0 * c.ow(), np = (oy1 - oy0) * c.ow();
            int outBase = n * c.cout() * plane + p0;
            for (int k0 = 0; k0 < in; k0 += Gemm.KC) {
                int kc = Math.min(Gemm.KC, in - k0);
                for (int kk = 0; kk < kc; kk++) { // col panels: col[p / NR][kk][p % NR]
                    im2col(x, c, stride, pad, n, oy0, oy1, k0 + kk, row);
                    for (int pp = 0; pp < np; pp += NR) System.arraycopy(row, pp, col, pp * kc + kk * NR, Math.min(NR, np - pp));
                }
                for (int co = 0; co < c.cout(); co++) weightRow(w, (long) co * in + k0, kc, wt, co * kc);
                for (int pp = 0; pp < np; pp += NR) {
                    GemmKernel.tile(wt, 0, kc, c.cout(), col, pp * kc, kc, out, outBase + pp, plane, Math.min(NR, np - pp), k0 > 0);
                }
            }
            if (bias != null) {
                for (int co = 0; co < c.cout(); co++) {
                    int o = outBase + co * plane;
                    for (int p = 0; p < np; p++) out[o + p] += bias[co];
                }
            }
        });
        return out;
    }

    private static void weightRow(Tensor w, long first, int kc, float[] dst, int off) {
        if (w.isDenseF32()) {
            System.arraycopy(w.floats(), Math.toIntExact(first), dst, off, kc);
        } else {
            Dequantize.decode(w.dtype(), w.segment(), first, dst, off, kc);
        }
    }

    /** Patch row kIdx ↔ (ci, ky, kx) for pixels p over output rows [oy0, oy1) × all columns, zero outside the input. */
    private static void im2col(float[] x, Checks.Conv c, int stride, int[] pad, int n, int oy0, int oy1, int kIdx, float[] row) {
        int ow = c.ow(), khw = c.kh() * c.kw();
        int ci = kIdx / khw, ky = (kIdx % khw) / c.kw(), kx = kIdx % c.kw();
        int src = (n * c.cin() + ci) * c.h() * c.w();
        for (int oy = oy0; oy < oy1; oy++) {
            int dst = (oy - oy0) * ow;
            int iy = oy * stride + ky - pad[0];
            if (iy < 0 || iy >= c.h()) {
                Arrays.fill(row, dst, dst + ow, 0f);
                continue;
            }
            int rowSrc = src + iy * c.w();
            if (stride == 1) {
                int lo = Math.max(0, pad[1] - kx), hi = Math.min(ow, c.w() + pad[1] - kx); // valid ox
                if (hi <= lo) {
                    Arrays.fill(row, dst, dst + ow, 0f);
                    continue;
                }
                Arrays.fill(row, dst, dst + lo, 0f);
                System.arraycopy(x, rowSrc + lo + kx - pad[1], row, dst + lo, hi - lo);
                Arrays.fill(row, dst + hi, dst + ow, 0f);
            } else {
                for (int ox = 0; ox < ow; ox++) {
                    int ix = ox * stride + kx - pad[1];
                    row[dst + ox] = ix >= 0 && ix < c.w() ? x[rowSrc + ix] : 0f;
                }
            }
        }
    }
}
