package org.uso4j.core.backend.cpu.amx;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.MatmulPrecision;
import org.uso4j.core.backend.cpu.Workers;
import org.uso4j.core.backend.cpu.attention.AttentionShape;
import org.uso4j.core.backend.cpu.attention.FlashAttention;
import org.uso4j.core.backend.cpu.attention.OnlineSoftmax;
import org.uso4j.core.backend.cpu.gemm.Gemm;
import org.uso4j.core.backend.cpu.simd.VectorMath;

/**
 * Attention with both products on AMX tiles ({@link AmxKernel}), for {@link MatmulPrecision#BF16}: q, k, v rounded
 * to bf16, scores and outputs summed in float32, the online softmax ({@link OnlineSoftmax}) in float32 as in
 * {@link FlashAttention}'s float tiles, probabilities rounded to bf16 for {@code P·V} (PyTorch's bf16 flash attention does the
 * same). No bias, no causal mask; head dimensions multiples of 32 (the callers check {@link #supports}).
 *
 * <p>Per head, once: Q as A tiles {@code [Lq↑32 / 16][D / 32][16][32]}, K as VNNI B tiles over D
 * ({@code [Lk↑32 / 16 keys][D / 2][16]}: the "weights" of {@code S = Q·Kᵀ}), V as VNNI B tiles over keys
 * ({@code [Dv / 16][Lk↑32 / 2][16]}). Work items are (batch·head, block of {@link #BQ} queries); per key block of
 * {@link #BK}: S (float) by the kernel, the softmax update per row, P packed as A tiles, {@code P·V} by the kernel,
 * then {@code O = O·corr + P·V}. Memory: O(L·D) per head plus one BQ×BK tile per worker.
 */
public final class AmxAttention {
    private AmxAttention() {}

    public static final int BQ = 128;
    public static final int BK = 256;

    public static boolean supports(int d, int dv, float[] bias, boolean causal) {
        return AmxKernel.available() && bias == null && !causal && d % 32 == 0 && dv % 32 == 0 && d > 0 && dv > 0;
    }

    /** q, k, v of {@code shape} → [B, H, Lq, Dv]. */
    public static float[] run(Workers workers, AttentionShape shape, float[] q, float[] k, float[] v, float scale) {
        int bh = shape.bh(), lq = shape.lq(), lk = shape.lk(), d = shape.d(), dv = shape.dv();
        float[] out = new float[shape.outFloats()];
        if (lq == 0) return out;
        if (lk == 0) return out; // softmax over no keys: PyTorch gives NaN; callers never ask (FLUX always has keys)
        int lqp = Gemm.roundUp(lq, 32), lkp = Gemm.roundUp(lk, 32);
        long qHead = (long) lqp * d * 2, kHead = (long) lkp * d * 2, vHead = (long) lkp * dv * 2;
        try (Arena arena = Arena.ofShared()) {
            MemorySegment qs = arena.allocate(bh * qHead, 64), ks = arena.allocate(bh * kHead, 64), vs = arena.allocate(bh * vHead, 64);
            Tensor keys = Tensor.wrap(k, bh * lk, d);
            workers.forEach(bh, (worker, z) -> {
                MemorySegment qz = qs.asSlice(z * qHead, qHead), kz = ks.asSlice(z * kHead, kHead), vz = vs.asSlice(z * vHead, vHead);
                for (int r = 0; r < lq; r++) AmxGemm.toBf16(q, (z * lq + r) * d, d, r, d, 0, qz);
                AmxGemm.packRows(keys, d, z * lk, (z + 1) * lk, kz); // key column j: int (j / 16, p, j % 16) = (k[j][2p], k[j][2p+1])
                for (int p = 0; p < lkp / 2; p++) {
                    // keys 2p, 2p+1 → pair row p of every channel tile: int (c / 16, p, c % 16) = (v[2p][c], v[2p+1][c])
                    int j = 2 * p;
                    for (int c = 0; c < dv; c++) {
                        float a = j < lk ? v[(z * lk + j) * dv + c] : 0f, b = j + 1 < lk ? v[(z * lk + j + 1) * dv + c] : 0f;
                        vz.set(ValueLayout.JAVA_INT_UNALIGNED, 4L * ((long) (c >> 4) * (lkp / 2) * 16 + p * 16L + (c & 15)), AmxGemm.bf16Pair(a, b));
                    }
                }
            });
            int qBlocks = (lq + BQ - 1) / BQ;
            workers.forEach(bh * qBlocks, (worker, item) -> {
                int z = item / qBlocks, q0 = (item % qBlocks) * BQ;
                block(scratch(d, dv), qs.asSlice(z * qHead, qHead), ks.asSlice(z * kHead, kHead), vs.asSlice(z * vHead, vHead),
                        q0, Math.min(lq, q0 + BQ), lk, lkp, d, dv, scale, out, (z * lq + q0) * dv);
            });
        }
        return out;
    }

    /** Per-worker tiles (kept per thread). */
    private static final class Scratch {
        final int d, dv;
        final float[] s = new float[BQ * BK];          // scores, then probabilities
        final MemorySegment p = Arena.ofAuto().allocate((long) BQ * BK * 2, 64); // probabilities as A tiles
        final float[] pv;                              // [BQ, Dv] one key block's P·V
        final float[] o;                               // [BQ, Dv] running outputs
        final double[] l = new double[BQ];
        final float[] lanes = new float[VectorMath.SUM_LANES];
        final float[] m = new float[BQ];
        final long[] params = new long[AmxKernel.PARAM_LONGS];

        Scratch(int d, int dv) {
            this.d = d;
            this.dv = dv;
            pv = new float[BQ * dv];
            o = new float[BQ * dv];
            AmxKernel.configure(params);
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = new ThreadLocal<>();

    private static Scratch scratch(int d, int dv) {
        Scratch s = SCRATCH.get();
        if (s == null || s.d != d || s.dv != dv) SCRATCH.set(s = new Scratch(d, dv));
        return s;
    }

    private static void block(Scratch t, MemorySegment qz, MemorySegment kz, MemorySegment vz, int q0, int q1, int lk, int lkp,
                              int d, int dv, float scale, float[] out, int outOff) {
        int nq = q1 - q0, mBlocks = (nq + 31) / 32;
        float[] s = t.s, pv = t.pv, o = t.o, m = t.m;
        double[] l = t.l;
        long[] params = t.params;
        Arrays.fill(o, 0, nq * dv, 0f);
        Arrays.fill(l, 0, nq, 0.0);
        Arrays.fill(m, 0, nq, Float.NEGATIVE_INFINITY);
        params[2] = mBlocks;
        params[5] = 0; // C-in: a repeated row of zeros
        long qBlock = qz.address() + (long) q0 * d * 2, kAt = kz.address(), vAt = vz.address(), pAt = t.p.address();
        for (int kb0 = 0; kb0 < lk; kb0 += BK) {
            int keys = Math.min(BK, lkp - kb0), steps = keys / 32, valid = Math.min(BK, lk - kb0);
            // S = Q · K_blockᵀ [nq, keys]: one call per 32 keys, D/32 k-steps
            params[0] = 32L * d;
            params[1] = 4L * BK;
            params[3] = d / 32;
            params[4] = 32L * d;
            for (int panel = 0; panel < steps; panel++) {
                AmxKernel.run(qBlock, kAt + (long) (kb0 + 32 * panel) * d * 2, s, 32 * panel, AmxGemm.ZEROS, params);
            }
            for (int i = 0; i < nq; i++) {
                double corr = OnlineSoftmax.update(s, i * BK, BK, valid, scale, null, 0, m, l, i, t.lanes);
                if (Double.isNaN(corr)) continue;
                if (corr != 1) {
                    float c = (float) corr;
                    for (int x = i * dv; x < (i + 1) * dv; x++) o[x] *= c;
                }
            }
            // P as A tiles [nq↑32 / 16][steps][16][32] (rows past nq: whatever the previous block left, never read back)
            for (int i = 0; i < nq; i++) {
                long at = (long) (i >> 4) * steps * 1024 + (i & 15) * 64;
                for (int st = 0; st < steps; st++, at += 1024) VectorMath.toBf16(s, i * BK + 32 * st, 32, t.p, at);
            }
            // P·V [nq, Dv]: one call per 32 channels, keys/32 k-steps
            params[0] = 32L * keys;
            params[1] = 4L * dv;
            params[3] = steps;
            params[4] = 2L * lkp * 16;
            for (int c = 0; c < dv; c += 32) {
                AmxKernel.run(pAt, vAt + 2L * lkp * c + 32L * kb0, pv, c, AmxGemm.ZEROS, params);
            }
            for (int x = 0; x < nq * dv; x++) o[x] += pv[x];
        }
        for (int i = 0; i < nq; i++) {
            float inv = (float) (1.0 / l[i]);
            for (int c = 0; c < dv; c++) out[outOff + i * dv + c] = o[i * dv + c] * inv;
        }
    }
}
