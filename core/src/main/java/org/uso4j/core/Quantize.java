package org.uso4j.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Load-time conversion of float weights to smaller stored types: Q8_0 and Q4_K (ggml's reference quantizers
 * {@code quantize_row_q8_0_ref} / {@code quantize_row_q4_K_ref}, ggml-quants.c, float32 step for step, so the
 * blocks are byte-identical to what ggml writes) and float8 e4m3fn. Each returns a new tensor of the same shape
 * whose bytes live in GC-managed native memory.
 */
public final class Quantize {
    private Quantize() {}

    /** {@code src} (any floating dtype) as Q8_0; the last dimension must be a multiple of 32. */
    public static Tensor q8_0(Tensor src) { return blocks(src, DType.Q8_0); }

    /** {@code src} (any floating dtype) as Q4_K; the last dimension must be a multiple of 256. */
    public static Tensor q4_K(Tensor src) { return blocks(src, DType.Q4_K); }

    /** {@code src} (any floating dtype) as float8 e4m3fn: round to nearest even, saturating to ±448. */
    public static Tensor e4m3(Tensor src) {
        requireFloating(src);
        long n = src.numel();
        MemorySegment out = Arena.ofAuto().allocate(Math.max(1, n)).asSlice(0, n);
        int row = Math.max(1, src.shape().last());
        float[] buf = new float[row];
        byte[] bytes = new byte[row];
        for (long start = 0; start < n; start += row) {
            int len = (int) Math.min(row, n - start);
            Dequantize.decode(src.dtype(), src.segment(), start, buf, 0, len);
            for (int i = 0; i < len; i++) bytes[i] = e4m3(buf[i]);
            MemorySegment.copy(bytes, 0, out, ValueLayout.JAVA_BYTE, start, len);
        }
        return Tensor.of(DType.F8_E4M3, src.shape(), out);
    }

    /**
     * float32 to e4m3fn by bit arithmetic: the same result as {@link FloatFormats#floatToE4M3} (round to nearest
     * even, ±448 saturation, NaN → 0x7F, sign of zero kept), fast enough for whole checkpoints.
     */
    static byte e4m3(float f) {
        if (Float.isNaN(f)) return (byte) 0x7F;
        int sign = (Float.floatToRawIntBits(f) >>> 24) & 0x80;
        float a = Math.abs(f);
        if (a >= 448f) return (byte) (sign | 0x7E);
        if (a < 0x1p-6f) return (byte) (sign | (int) Math.rint(a * 512f)); // subnormal step 2^-9; 8 = smallest normal
        int e = Math.getExponent(a);                                       // -6 .. 8
        int q = (int) Math.rint(Math.scalb(a, 3 - e));                     // 8 .. 16 (16 carries into the exponent)
        return (byte) (sign | (((e + 7) << 3) + q - 8));
    }

    private static void requireFloating(Tensor src) {
        if (!src.dtype().isFloating()) throw new IllegalArgumentException("cannot quantize integer tensor " + src);
    }

    /** Quantizes row by row (rows decoded from any stored type), so only one float row is held at a time. */
    private static Tensor blocks(Tensor src, DType type) {
        requireFloating(src);
        int row = src.shape().last();
        int bs = type.blockSize(), bpb = type.bytesPerBlock();
        if (src.rank() == 0 || row % bs != 0) {
            throw new IllegalArgumentException(type + " needs rows that are a multiple of " + bs + " elements, got " + src.shape());
        }
        long rows = src.shape().rows();
        long bytes = type.byteSize(src.numel());
        MemorySegment out = Arena.ofAuto().allocate(Math.max(1, bytes), 32).asSlice(0, bytes);
        float[] x = new float[row];
        byte[] blk = new byte[bpb], rowBytes = new byte[row / bs * bpb];
        for (long r = 0; r < rows; r++) {
            Dequantize.decode(src.dtype(), src.segment(), r * row, x, 0, row);
            for (int b = 0, at = 0; b < row; b += bs, at += bpb) {
                if (type == DType.Q8_0) q8_0Block(x, b, blk); else q4_KBlock(x, b, blk);
                System.arraycopy(blk, 0, rowBytes, at, bpb);
            }
            MemorySegment.copy(rowBytes, 0, out, ValueLayout.JAVA_BYTE, r * rowBytes.length, rowBytes.length);
        }
        return Tensor.of(type, src.shape(), out);
    }

    private static void putHalf(byte[] b, int at, float v) {
        short h = Float.floatToFloat16(v); // round to nearest even, as GGML_FP32_TO_FP16
        b[at] = (byte) h;
        b[at + 1] = (byte) (h >>> 8);
    }

    /** C's roundf: halves away from zero (exact in double for any float). */
    private static int roundf(float v) {
        return (int) Math.copySign(Math.floor(Math.abs((double) v) + 0.5), v);
    }

    /** ggml's nearest_int (the 1.5·2^23 trick): round half to even. */
    private static int nearestInt(float v) { return (int) Math.rint(v); }

    // ---- Q8_0: quantize_row_q8_0_ref ----

    /** One Q8_0 block of {@code x[o .. o+32)}: d = amax/127, q = roundf(x/d). */
    static void q8_0Block(float[] x, int o, byte[] out) {
        float amax = 0;
        for (int j = 0; j < 32; j++) amax = Math.max(amax, Math.abs(x[o + j]));
        float d = amax / ((1 << 7) - 1);
        float id = d != 0 ? 1.0f / d : 0.0f;
        putHalf(out, 0, d);
        for (int j = 0; j < 32; j++) out[2 + j] = (byte) roundf(x[o + j] * id);
    }

    // ---- Q4_K: quantize_row_q4_K_ref ----

    /** One Q4_K super-block of {@code x[o .. o+256)}: 8 sub-blocks of 32 with 6-bit scales and mins. */
    static void q4_KBlock(float[] x, int o, byte[] out) {
        java.util.Arrays.fill(out, (byte) 0);
        int[] levels = new int[256];
        int[] aux = new int[32];
        float[] weights = new float[32];
        float[] mins = new float[8], scales = new float[8];
        float[] theMin = new float[1];
        float maxScale = 0, maxMin = 0;
        for (int j = 0; j < 8; j++) {
            float sumX2 = 0;
            for (int l = 0; l < 32; l++) sumX2 += x[o + 32 * j + l] * x[o + 32 * j + l];
            float avX = (float) Math.sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++) weights[l] = avX + Math.abs(x[o + 32 * j + l]);
            scales[j] = makeQkx2Quants(32, 15, x, o + 32 * j, weights, levels, 32 * j, theMin, aux, -1.f, 0.1f, 20);
            mins[j] = theMin[0];
            if (scales[j] > maxScale) maxScale = scales[j];
            if (mins[j] > maxMin) maxMin = mins[j];
        }
        final int SC = 4, QS = 16;
        float invScale = maxScale > 0 ? 63.f / maxScale : 0.f;
        float invMin = maxMin > 0 ? 63.f / maxMin : 0.f;
        for (int j = 0; j < 8; j++) {
            int ls = Math.min(63, nearestInt(invScale * scales[j]) & 0xFF);
            int lm = Math.min(63, nearestInt(invMin * mins[j]) & 0xFF);
            if (j < 4) {
                out[SC + j] = (byte) ls;
                out[SC + j + 4] = (byte) lm;
            } else {
                out[SC + j + 4] = (byte) ((ls & 0xF) | ((lm & 0xF) << 4));
                out[SC + j - 4] |= (byte) ((ls >>> 4) << 6);
                out[SC + j] |= (byte) ((lm >>> 4) << 6);
            }
        }
        putHalf(out, 0, maxScale / 63.f);
        putHalf(out, 2, maxMin / 63.f);
        float d16 = GgmlBlocks.half(out, 0), dmin16 = GgmlBlocks.half(out, 2);
        for (int j = 0; j < 8; j++) {
            float d = d16 * GgmlBlocks.scaleK4(j, out, SC);
            if (d == 0) continue; // levels keep what makeQkx2Quants chose, as in ggml
            float dm = dmin16 * GgmlBlocks.minK4(j, out, SC);
            for (int ii = 0; ii < 32; ii++) {
                int l = nearestInt((x[o + 32 * j + ii] + dm) / d);
                levels[32 * j + ii] = Math.max(0, Math.min(15, l));
            }
        }
        int q = QS;
        for (int j = 0; j < 256; j += 64) {
            for (int l = 0; l < 32; l++) out[q + l] = (byte) (levels[j + l] | (levels[j + l + 32] << 4));
            q += 32;
        }
    }

    /**
     * ggml's make_qkx2_quants (use_mad = false): levels in [0, nmax] for x[xo .. xo+n) with a scale and a
     * non-positive min, refined over nstep+1 candidate inverse scales by weighted least squares.
     * Returns the scale; {@code theMin[0]} = -min.
     */
    private static float makeQkx2Quants(int n, int nmax, float[] x, int xo, float[] weights, int[] levels, int lo,
                                        float[] theMin, int[] aux, float rmin, float rdelta, int nstep) {
        float min = x[xo], max = x[xo];
        float sumW = weights[0];
        float sumX = sumW * x[xo];
        for (int i = 1; i < n; i++) {
            if (x[xo + i] < min) min = x[xo + i];
            if (x[xo + i] > max) max = x[xo + i];
            float w = weights[i];
            sumW += w;
            sumX += w * x[xo + i];
        }
        if (min > 0) min = 0;
        if (max == min) {
            for (int i = 0; i < n; i++) levels[lo + i] = 0;
            theMin[0] = -min;
            return 0.f;
        }
        float iscale = nmax / (max - min);
        float scale = 1 / iscale;
        float bestMad = 0;
        for (int i = 0; i < n; i++) {
            int l = nearestInt(iscale * (x[xo + i] - min));
            levels[lo + i] = Math.max(0, Math.min(nmax, l));
            float diff = scale * levels[lo + i] + min - x[xo + i];
            diff = diff * diff;
            bestMad += weights[i] * diff;
        }
        if (nstep < 1) {
            theMin[0] = -min;
            return scale;
        }
        for (int is = 0; is <= nstep; is++) {
            iscale = (rmin + rdelta * is + nmax) / (max - min);
            float sumL = 0, sumL2 = 0, sumXL = 0;
            for (int i = 0; i < n; i++) {
                int l = nearestInt(iscale * (x[xo + i] - min));
                l = Math.max(0, Math.min(nmax, l));
                aux[i] = l;
                float w = weights[i];
                sumL += w * l;
                sumL2 += w * l * l;
                sumXL += w * l * x[xo + i];
            }
            float dd = sumW * sumL2 - sumL * sumL;
            if (dd > 0) {
                float thisScale = (sumW * sumXL - sumX * sumL) / dd;
                float thisMin = (sumL2 * sumX - sumL * sumXL) / dd;
                if (thisMin > 0) {
                    thisMin = 0;
                    thisScale = sumXL / sumL2;
                }
                float mad = 0;
                for (int i = 0; i < n; i++) {
                    float diff = thisScale * aux[i] + thisMin - x[xo + i];
                    diff = diff * diff;
                    mad += weights[i] * diff;
                }
                if (mad < bestMad) {
                    for (int i = 0; i < n; i++) levels[lo + i] = aux[i];
                    bestMad = mad;
                    scale = thisScale;
                    min = thisMin;
                }
            }
        }
        theMin[0] = -min;
        return scale;
    }
}
