package org.uso4j.core.backend;

import java.util.List;
import org.uso4j.core.Dequantize;
import org.uso4j.core.Shape;
import org.uso4j.core.Tensor;

/**
 * The plain reference twin of {@link CpuBackend}: one thread, straightforward loops, double accumulators where
 * a reduction is long. Slow by design; tests compare every fast kernel against it.
 */
public final class ScalarBackend implements Backend {

    @Override public String name() { return "scalar"; }

    static float[] decodeAll(Tensor t) {
        return t.toF32().floats();
    }

    static float[] row(Tensor w, int r, float[] buf) {
        int in = w.shape().last();
        Dequantize.decode(w.dtype(), w.segment(), (long) r * in, buf, 0, in);
        return buf;
    }

    @Override public Tensor linear(Tensor x, Tensor weight, Tensor bias) {
        Checks.linear(x, weight, bias);
        int in = weight.dim(1), out = weight.dim(0);
        int rows = Math.toIntExact(x.shape().rows());
        float[] xs = x.floats(), ys = new float[rows * out], wr = new float[in];
        float[] b = bias == null ? null : decodeAll(bias);
        for (int o = 0; o < out; o++) {
            row(weight, o, wr);
            for (int r = 0; r < rows; r++) {
                double acc = 0;
                int xo = r * in;
                for (int i = 0; i < in; i++) acc += (double) xs[xo + i] * wr[i];
                ys[r * out + o] = (float) acc + (b == null ? 0f : b[o]);
            }
        }
        return Tensor.wrap(ys, Checks.withLast(x, out));
    }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transposeB) {
        Checks.Matmul m = Checks.matmul(a, b, transposeB);
        float[] as = a.floats(), bs = decodeAll(b), out = new float[m.batch() * m.m() * m.n()];
        for (int z = 0; z < m.batch(); z++) {
            int ao = z * m.m() * m.k(), bo = m.bBroadcast() ? 0 : z * m.k() * m.n(), oo = z * m.m() * m.n();
            for (int i = 0; i < m.m(); i++) {
                for (int j = 0; j < m.n(); j++) {
                    double acc = 0;
                    for (int p = 0; p < m.k(); p++) {
                        float bv = transposeB ? bs[bo + j * m.k() + p] : bs[bo + p * m.n() + j];
                        acc += (double) as[ao + i * m.k() + p] * bv;
                    }
                    out[oo + i * m.n() + j] = (float) acc;
                }
            }
        }
        return Tensor.wrap(out, m.outDims());
    }

    @Override public Tensor layerNorm(Tensor x, Tensor weight, Tensor bias, float eps) {
        int c = x.shape().last();
        Checks.vector(weight, c, "layerNorm weight");
        Checks.vector(bias, c, "layerNorm bias");
        float[] xs = x.floats(), out = new float[xs.length];
        float[] w = weight == null ? null : decodeAll(weight), b = bias == null ? null : decodeAll(bias);
        for (int r = 0; r < xs.length / Math.max(1, c); r++) {
            int o = r * c;
            double mean = 0;
            for (int i = 0; i < c; i++) mean += xs[o + i];
            mean /= c;
            double var = 0;
            for (int i = 0; i < c; i++) { double d = xs[o + i] - mean; var += d * d; }
            var /= c;
            double inv = 1.0 / Math.sqrt(var + eps);
            for (int i = 0; i < c; i++) {
                float v = (float) ((xs[o + i] - mean) * inv);
                if (w != null) v *= w[i];
                if (b != null) v += b[i];
                out[o + i] = v;
            }
        }
        return Tensor.wrap(out, x.dims());
    }

    @Override public Tensor rmsNorm(Tensor x, Tensor scale, float eps) {
        int c = x.shape().last();
        Checks.vector(scale, c, "rmsNorm scale");
        float[] xs = x.floats(), out = new float[xs.length];
        float[] s = scale == null ? null : decodeAll(scale);
        for (int r = 0; r < xs.length / Math.max(1, c); r++) {
            int o = r * c;
            double ss = 0;
            for (int i = 0; i < c; i++) ss += (double) xs[o + i] * xs[o + i];
            float inv = (float) (1.0 / Math.sqrt(ss / c + eps));
            for (int i = 0; i < c; i++) out[o + i] = xs[o + i] * inv * (s == null ? 1f : s[i]);
        }
        return Tensor.wrap(out, x.dims());
    }

    @Override public Tensor groupNorm(Tensor x, int groups, Tensor weight, Tensor bias, float eps) {
        int b = x.dim(0), c = x.dim(1);
        if (c % groups != 0) throw new IllegalArgumentException("groupNorm: " + c + " channels not divisible by " + groups + " groups");
        int spatial = Math.toIntExact(x.numel() / ((long) b * c));
        Checks.vector(weight, c, "groupNorm weight");
        Checks.vector(bias, c, "groupNorm bias");
        float[] xs = x.floats(), out = new float[xs.length];
        float[] w = weight == null ? null : decodeAll(weight), bb = bias == null ? null : decodeAll(bias);
        int cg = c / groups;
        for (int n = 0; n < b; n++) {
            for (int g = 0; g < groups; g++) {
                int o = (n * c + g * cg) * spatial, len = cg * spatial;
                double mean = 0;
                for (int i = 0; i < len; i++) mean += xs[o + i];
                mean /= len;
                double var = 0;
                for (int i = 0; i < len; i++) { double d = xs[o + i] - mean; var += d * d; }
                var /= len;
                double inv = 1.0 / Math.sqrt(var + eps);
                for (int ch = 0; ch < cg; ch++) {
                    int cc = g * cg + ch;
                    for (int s = 0; s < spatial; s++) {
                        int idx = o + ch * spatial + s;
                        float v = (float) ((xs[idx] - mean) * inv);
                        if (w != null) v *= w[cc];
                        if (bb != null) v += bb[cc];
                        out[idx] = v;
                    }
                }
            }
        }
        return Tensor.wrap(out, x.dims());
    }

    public static float activate(float x, Activation kind) {
        return switch (kind) {
            case SILU -> (float) (x / (1.0 + Math.exp(-x)));
            case GELU_TANH -> (float) (0.5 * x * (1.0 + Math.tanh(Math.sqrt(2.0 / Math.PI) * (x + 0.044715 * x * x * x))));
            case GELU_ERF -> (float) (0.5 * x * (1.0 + Erf.erf(x / Math.sqrt(2.0))));
            case QUICK_GELU -> (float) (x / (1.0 + Math.exp(-1.702 * x)));
            case RELU -> Math.max(x, 0f);
        };
    }

    @Override public Tensor activate(Tensor x, Activation kind) {
        float[] xs = x.floats(), out = new float[xs.length];
        for (int i = 0; i < xs.length; i++) out[i] = activate(xs[i], kind);
        return Tensor.wrap(out, x.dims());
    }

    @Override public Tensor add(Tensor a, Tensor b) {
        float[] as = a.floats(), bs = Checks.suffix(a, b, "add").floats(), out = new float[as.length];
        for (int i = 0; i < as.length; i++) out[i] = as[i] + bs[i % bs.length];
        return Tensor.wrap(out, a.dims());
    }

    @Override public Tensor mul(Tensor a, Tensor b) {
        float[] as = a.floats(), bs = Checks.suffix(a, b, "mul").floats(), out = new float[as.length];
        for (int i = 0; i < as.length; i++) out[i] = as[i] * bs[i % bs.length];
        return Tensor.wrap(out, a.dims());
    }

    @Override public Tensor scale(Tensor a, float s) {
        float[] as = a.floats(), out = new float[as.length];
        for (int i = 0; i < as.length; i++) out[i] = as[i] * s;
        return Tensor.wrap(out, a.dims());
    }

    @Override public Tensor addScaled(Tensor a, Tensor b, float s) {
        Checks.sameShape(a, b, "addScaled");
        float[] as = a.floats(), bs = b.floats(), out = new float[as.length];
        for (int i = 0; i < as.length; i++) {
            float p = bs[i] * s; // rounded to float32 before the sum, as add(a, scale(b, s))
            out[i] = as[i] + p;
        }
        return Tensor.wrap(out, a.dims());
    }

    @Override public boolean allFinite(Tensor t) { return allFiniteF32(t); }

    static boolean allFiniteF32(Tensor t) {
        for (float v : t.toF32().floats()) if (!Float.isFinite(v)) return false;
        return true;
    }

    @Override public Tensor gaussianSample(Tensor mean, Tensor logvar, Tensor noise) { return sampleGaussian(mean, logvar, noise); }

    /** {@code mean + exp(0.5·logvar)·noise}: exp of the float32 half-logvar taken in double and rounded, then float32 ops. */
    static Tensor sampleGaussian(Tensor mean, Tensor logvar, Tensor noise) {
        Checks.sameShape(mean, logvar, "gaussianSample logvar");
        Checks.sameShape(mean, noise, "gaussianSample noise");
        float[] m = mean.floats(), lv = logvar.floats(), n = noise.toF32().floats(), out = new float[m.length];
        for (int i = 0; i < m.length; i++) {
            float std = (float) Math.exp(0.5f * lv[i]);
            float scaled = std * n[i];
            out[i] = m[i] + scaled;
        }
        return Tensor.wrap(out, mean.dims());
    }

    @Override public Tensor modulate(Tensor x, Tensor shift, Tensor scale) {
        Checks.perBatchChannel(x, shift, "modulate shift");
        Checks.perBatchChannel(x, scale, "modulate scale");
        int b = x.dim(0), c = x.shape().last(), l = Math.toIntExact(x.numel() / ((long) b * c));
        float[] xs = x.floats(), sh = shift.floats(), sc = scale.floats(), out = new float[xs.length];
        for (int n = 0; n < b; n++)
            for (int t = 0; t < l; t++)
                for (int i = 0; i < c; i++) {
                    int idx = (n * l + t) * c + i;
                    out[idx] = (1 + sc[n * c + i]) * xs[idx] + sh[n * c + i];
                }
        return Tensor.wrap(out, x.dims());
    }

    @Override public Tensor addGated(Tensor x, Tensor gate, Tensor y) {
        Checks.perBatchChannel(x, gate, "addGated gate");
        Checks.sameShape(x, y, "addGated");
        int b = x.dim(0), c = x.shape().last(), l = Math.toIntExact(x.numel() / ((long) b * c));
        float[] xs = x.floats(), g = gate.floats(), ys = y.floats(), out = new float[xs.length];
        for (int n = 0; n < b; n++)
            for (int t = 0; t < l; t++)
                for (int i = 0; i < c; i++) {
                    int idx = (n * l + t) * c + i;
                    out[idx] = xs[idx] + g[n * c + i] * ys[idx];
                }
        return Tensor.wrap(out, x.dims());
    }

    @Override public Tensor concat(int dim, List<Tensor> parts) { return Layout.concat(dim, parts); }

    @Override public Tensor slice(Tensor x, int dim, int start, int end) { return Layout.slice(x, dim, start, end); }

    @Override public Tensor permute(Tensor x, int... order) { return Layout.permute(x, order); }

    @Override public Tensor rope(Tensor x, Tensor pe) {
        Checks.rope(x, pe);
        int b = x.dim(0), h = x.dim(1), l = x.dim(2), d = x.dim(3);
        float[] xs = x.floats(), p = pe.floats(), out = new float[xs.length];
        boolean peBatch = pe.dim(0) != 1;
        for (int n = 0; n < b; n++)
            for (int hh = 0; hh < h; hh++)
                for (int t = 0; t < l; t++) {
                    int xo = ((n * h + hh) * l + t) * d;
                    int po = ((peBatch ? n : 0) * l + t) * d * 2; // pe row: D/2 pairs of 2x2 = 2·D floats
                    for (int k = 0; k < d / 2; k++) {
                        float x0 = xs[xo + 2 * k], x1 = xs[xo + 2 * k + 1];
                        int q = po + 4 * k;
                        out[xo + 2 * k] = p[q] * x0 + p[q + 1] * x1;
                        out[xo + 2 * k + 1] = p[q + 2] * x0 + p[q + 3] * x1;
                    }
                }
        return Tensor.wrap(out, x.dims());
    }

    @Override public Tensor attention(Tensor q, Tensor k, Tensor v, float scale, Tensor bias, boolean causal) {
        Checks.attention(q, k, v, bias);
        int b = q.dim(0), h = q.dim(1), lq = q.dim(2), d = q.dim(3), lk = k.dim(2), dv = v.dim(3);
        float[] qs = q.floats(), ks = k.floats(), vs = v.floats(), out = new float[b * h * lq * dv];
        float[] bs = bias == null ? null : bias.floats();
        boolean biasBatch = bias != null && bias.dim(0) != 1;
        double[] s = new double[lk];
        for (int n = 0; n < b; n++)
            for (int hh = 0; hh < h; hh++) {
                int bh = n * h + hh;
                for (int i = 0; i < lq; i++) {
                    int qo = (bh * lq + i) * d;
                    double max = Double.NEGATIVE_INFINITY;
                    int limit = causal ? Math.min(lk, i + 1) : lk;
                    for (int j = 0; j < limit; j++) {
                        int ko = (bh * lk + j) * d;
                        double acc = 0;
                        for (int c = 0; c < d; c++) acc += (double) qs[qo + c] * ks[ko + c];
                        float sc = (float) acc * scale;
                        if (bs != null) sc += bs[(((biasBatch ? n : 0) * h + hh) * lq + i) * lk + j];
                        s[j] = sc;
                        max = Math.max(max, sc);
                    }
                    double sum = 0;
                    for (int j = 0; j < limit; j++) { s[j] = Math.exp(s[j] - max); sum += s[j]; }
                    int oo = (bh * lq + i) * dv;
                    for (int c = 0; c < dv; c++) {
                        double acc = 0;
                        for (int j = 0; j < limit; j++) acc += s[j] * vs[(bh * lk + j) * dv + c];
                        out[oo + c] = (float) (acc / sum);
                    }
                }
            }
        return Tensor.wrap(out, b, h, lq, dv);
    }

    @Override public Tensor softmax(Tensor x) {
        int c = x.shape().last();
        float[] xs = x.floats(), out = new float[xs.length];
        for (int r = 0; r < xs.length / Math.max(1, c); r++) {
            int o = r * c;
            double max = Double.NEGATIVE_INFINITY, sum = 0;
            for (int i = 0; i < c; i++) max = Math.max(max, xs[o + i]);
            for (int i = 0; i < c; i++) sum += Math.exp(xs[o + i] - max);
            for (int i = 0; i < c; i++) out[o + i] = (float) (Math.exp(xs[o + i] - max) / sum);
        }
        return Tensor.wrap(out, x.dims());
    }

    @Override public Tensor timestepEmbedding(Tensor t, int dim, float timeFactor, float maxPeriod) {
        return Embeddings.timestep(t, dim, timeFactor, maxPeriod);
    }

    @Override public Tensor embedding(Tensor table, long[] ids) { return Embeddings.lookup(table, ids); }

    @Override public Tensor ropeTable(Tensor ids, int theta, int[] axesDim) { return Embeddings.ropeTable(ids, theta, axesDim); }

    @Override public Tensor conv2d(Tensor x, Tensor weight, Tensor bias, int stride, int[] pad) {
        Checks.Conv c = Checks.conv2d(x, weight, bias, stride, pad);
        float[] xs = x.floats(), w = decodeAll(weight), bb = bias == null ? null : decodeAll(bias);
        float[] out = new float[c.b() * c.cout() * c.oh() * c.ow()];
        for (int n = 0; n < c.b(); n++)
            for (int co = 0; co < c.cout(); co++)
                for (int oy = 0; oy < c.oh(); oy++)
                    for (int ox = 0; ox < c.ow(); ox++) {
                        double acc = bb == null ? 0 : bb[co];
                        for (int ci = 0; ci < c.cin(); ci++)
                            for (int ky = 0; ky < c.kh(); ky++) {
                                int iy = oy * stride + ky - pad[0];
                                if (iy < 0 || iy >= c.h()) continue;
                                for (int kx = 0; kx < c.kw(); kx++) {
                                    int ix = ox * stride + kx - pad[1];
                                    if (ix < 0 || ix >= c.w()) continue;
                                    acc += (double) xs[((n * c.cin() + ci) * c.h() + iy) * c.w() + ix]
                                            * w[((co * c.cin() + ci) * c.kh() + ky) * c.kw() + kx];
                                }
                            }
                        out[((n * c.cout() + co) * c.oh() + oy) * c.ow() + ox] = (float) acc;
                    }
        return Tensor.wrap(out, c.b(), c.cout(), c.oh(), c.ow());
    }

    @Override public Tensor upsampleNearest2x(Tensor x) { return Layout.upsampleNearest2x(x); }

    static Shape shapeOf(int... d) { return Shape.of(d); }
}
