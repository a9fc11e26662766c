package org.uso4j.core.backend.cpu.gemm;

import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

import java.util.Arrays;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Checks;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.backend.cpu.Pointwise;
import org.uso4j.core.backend.cpu.Workers;
import org.uso4j.core.backend.cpu.simd.VectorDequantize;

/**
 * 2-D convolution as a packed {@link Gemm} written straight into NCHW: {@code out[n, co, p] = W[co, :] · col[:, p]}
 * with the weight ({@code [Cout, Cin·kh·kw]}, decoded to float32 once: conv weights are small) as the A operand
 * shared by the batch, and the im2col matrix {@code col[(ci, ky, kx), p]} (zero-padded input patches) produced
 * panel by panel by {@link Im2col}, never as a whole. Each output is one in-order fma chain over (ci, ky, kx),
 * whatever the blocking or thread; the bias is added after. Scalar twin: {@link ScalarBackend#conv2d}.
 */
public final class Conv2dKernel {
    private Conv2dKernel() {}

    public static float[] run(Workers workers, float[] x, Checks.Conv c, int stride, int[] pad, Tensor weight, float[] bias) {
        return run(workers, x, c, stride, pad, weight, bias, 1);
    }

    /**
     * The convolution of x upsampled ×{@code up} (nearest neighbour; {@code c} describes the upsampled input): the
     * im2col panels read {@code x[iy / up, ix / up]}, so the upsampled image is never stored.
     */
    public static float[] run(Workers workers, float[] x, Checks.Conv c, int stride, int[] pad, Tensor weight, float[] bias, int up) {
        int in = c.cin() * c.kh() * c.kw(), plane = c.oh() * c.ow();
        float[] out = new float[c.b() * c.cout() * plane];
        float[] w = new float[Math.multiplyExact(c.cout(), in)];
        if (weight.isDenseF32()) {
            System.arraycopy(weight.floats(), 0, w, 0, w.length);
        } else {
            VectorDequantize.decode(weight.dtype(), weight.segment(), 0, w, 0, w.length);
        }
        Gemm.run(workers, c.b(), w, 0, c.cout(), in, z -> new Im2col(x, c, stride, pad, z, up), plane, out, c.cout() * plane, null);
        if (bias != null) {
            int planes = c.b() * c.cout();
            Pointwise.split(workers, planes * plane, (s, e) -> {
                for (int i = s; i < e; ) {
                    int end = Math.min(e, (i / plane + 1) * plane);
                    float bc = bias[(i / plane) % c.cout()];
                    for (; i < end; i++) out[i] += bc;
                }
            });
        }
        return out;
    }

    /**
     * Panels of the im2col matrix of batch entry {@code n}: B(kIdx, p) = u[n, ci, oy·s + ky - pad, ox·s + kx - pad]
     * where u is x upsampled ×{@code up} (u[y, x] = x[y / up, x / up]; {@code c} has u's size).
     */
    public record Im2col(float[] x, Checks.Conv c, int stride, int[] pad, int n, int up) implements Panels {
        @Override public void pack(int c0, int cols, int k0, int kc, float[] dst, int off, float[] scratch) {
            int ow = c.ow(), khw = c.kh() * c.kw(), xw = c.w() / up;
            for (int kk = 0; kk < kc; kk++) {
                int kIdx = k0 + kk, ci = kIdx / khw, ky = (kIdx % khw) / c.kw(), kx = kIdx % c.kw();
                int src = (n * c.cin() + ci) * (c.h() / up) * xw, d = off + kk * NR;
                for (int j = 0; j < cols; ) {
                    int p = c0 + j, oy = p / ow, ox = p % ow, run = Math.min(cols - j, ow - ox);
                    int iy = oy * stride + ky - pad[0];
                    if (iy < 0 || iy >= c.h()) {
                        Arrays.fill(dst, d + j, d + j + run, 0f);
                    } else if (up != 1) {
                        int rowSrc = src + (iy / up) * xw;
                        for (int t = 0; t < run; t++) {
                            int ix = (ox + t) * stride + kx - pad[1];
                            dst[d + j + t] = ix >= 0 && ix < c.w() ? x[rowSrc + ix / up] : 0f;
                        }
                    } else if (stride == 1) {
                        int rowSrc = src + iy * c.w(), ix0 = ox + kx - pad[1];
                        int lo = Math.max(0, -ix0), hi = Math.max(lo, Math.min(run, c.w() - ix0)); // valid [lo, hi)
                        Arrays.fill(dst, d + j, d + j + lo, 0f);
                        if (hi > lo) System.arraycopy(x, rowSrc + ix0 + lo, dst, d + j + lo, hi - lo);
                        Arrays.fill(dst, d + j + hi, d + j + run, 0f);
                    } else {
                        int rowSrc = src + iy * c.w();
                        for (int t = 0; t < run; t++) {
                            int ix = (ox + t) * stride + kx - pad[1];
                            dst[d + j + t] = ix >= 0 && ix < c.w() ? x[rowSrc + ix] : 0f;
                        }
                    }
                    j += run;
                }
                if (cols < NR) Arrays.fill(dst, d + cols, d + NR, 0f);
            }
        }
    }
}
