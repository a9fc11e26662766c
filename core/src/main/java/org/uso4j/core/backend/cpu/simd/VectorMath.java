package org.uso4j.core.backend.cpu.simd;

import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.ShortVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.uso4j.core.backend.cpu.Isa;

/**
 * Vector building blocks of the CPU kernels. Everything here is built from IEEE-exact lane operations (add, mul,
 * fma, compare, blend, shuffles), never from {@code reduceLanes(ADD)} or the lanewise transcendental operators:
 * those may round differently once the JIT replaces the Java fallback with an intrinsic, and a result must not
 * change between a cold and a warm call.
 */
public final class VectorMath {
    private VectorMath() {}

    /** The kernels' float species ({@link Isa#FLOAT}: 128, 256 or 512 bits). */
    public static final VectorSpecies<Float> F = Isa.FLOAT;
    /** Lanes per float vector (16 with AVX-512, 8 with AVX2, 4 with NEON). */
    public static final int FL = F.length();
    /**
     * Lanes of every reduction, whatever the vector width: a sum over n elements keeps {@value} partial sums (element
     * e in partial e % 16, in order) added by one fixed tree, so its bits do not depend on {@link #FL}. With fewer
     * lanes per vector, {@value} / FL vectors hold the partials.
     */
    public static final int SUM_LANES = 16;
    /** Vectors per {@link #SUM_LANES} partial sums (1, 2 or 4). */
    public static final int SUM_VECTORS = SUM_LANES / FL;
    public static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
    /** Half-width shorts with one lane per float lane: bf16 loads. */
    public static final VectorSpecies<Short> S = VectorSpecies.of(short.class, VectorShape.forBitSize(F.vectorBitSize() / 2));
    public static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    /** Butterfly shuffles lane i -> i ^ step (a fixed summation tree); steps >= FL are unused. */
    private static final VectorShuffle<Float> X8 = butterfly(8), X4 = butterfly(4), X2 = butterfly(2), X1 = butterfly(1);

    private static VectorShuffle<Float> butterfly(int step) {
        return VectorShuffle.fromOp(F, i -> step < FL ? i ^ step : i);
    }

    // Unrolled over static final shuffles: a loop over an array of shuffles is not intrinsified (8x slower).

    /**
     * The {@link #SUM_LANES} partial sums held in {@code v0..v3} (lanes 0..FL-1, FL..2FL-1, ...; the vectors past
     * {@link #SUM_VECTORS} unused) added by the fixed butterfly tree of 16 lanes: lane i + lane i^8, then ^4, ^2, ^1.
     * The same bits at every width (float addition is commutative, so each step's pairs are the same sums).
     */
    public static float sum16(FloatVector v0, FloatVector v1, FloatVector v2, FloatVector v3) {
        if (SUM_VECTORS == 1) return sum(v0);
        if (SUM_VECTORS == 2) return sum(v0.add(v1));
        return sum(v0.add(v2).add(v1.add(v3)));
    }

    /**
     * {@code lanes[i % 16] += y[off + i]} for i in [0, n), in order per lane: {@link #SUM_LANES} partial sums of a
     * row, the same bits at every vector width.
     */
    public static void laneSums(float[] y, int off, int n, float[] lanes) {
        int i = 0;
        if (FL <= SUM_LANES) {
            FloatVector s0 = FloatVector.fromArray(F, lanes, 0), s1 = s0, s2 = s0, s3 = s0;
            if (SUM_VECTORS > 1) s1 = FloatVector.fromArray(F, lanes, FL);
            if (SUM_VECTORS > 2) {
                s2 = FloatVector.fromArray(F, lanes, 2 * FL);
                s3 = FloatVector.fromArray(F, lanes, 3 * FL);
            }
            for (; i + SUM_LANES <= n; i += SUM_LANES) {
                s0 = s0.add(FloatVector.fromArray(F, y, off + i));
                if (SUM_VECTORS > 1) s1 = s1.add(FloatVector.fromArray(F, y, off + i + FL));
                if (SUM_VECTORS > 2) {
                    s2 = s2.add(FloatVector.fromArray(F, y, off + i + 2 * FL));
                    s3 = s3.add(FloatVector.fromArray(F, y, off + i + 3 * FL));
                }
            }
            s0.intoArray(lanes, 0);
            if (SUM_VECTORS > 1) s1.intoArray(lanes, FL);
            if (SUM_VECTORS > 2) {
                s2.intoArray(lanes, 2 * FL);
                s3.intoArray(lanes, 3 * FL);
            }
        }
        for (; i < n; i++) lanes[i % SUM_LANES] += y[off + i];
    }

    /** Sum of the lanes in a fixed pairwise order (same bits on every call, cold or compiled). */
    public static float sum(FloatVector v) {
        if (FL > 8) v = v.add(v.rearrange(X8));
        if (FL > 4) v = v.add(v.rearrange(X4));
        if (FL > 2) v = v.add(v.rearrange(X2));
        if (FL > 1) v = v.add(v.rearrange(X1));
        return v.lane(0);
    }

    /** Largest lane (Java {@code Math.max} semantics: NaN wins, +0 > -0), by the same fixed tree. */
    public static float max(FloatVector v) {
        if (FL > 8) v = v.max(v.rearrange(X8));
        if (FL > 4) v = v.max(v.rearrange(X4));
        if (FL > 2) v = v.max(v.rearrange(X2));
        if (FL > 1) v = v.max(v.rearrange(X1));
        return v.lane(0);
    }

    /** 16 (FL) bf16 values at {@code byteOff} widened to float lanes. */
    public static FloatVector bf16(MemorySegment seg, long byteOff) {
        ShortVector s = ShortVector.fromMemorySegment(S, seg, byteOff, LE);
        IntVector i = (IntVector) s.convertShape(VectorOperators.S2I, I, 0);
        return i.lanewise(VectorOperators.LSHL, 16).reinterpretAsFloats();
    }

    private static final float LN_MAX = 88.72283935546875f;   // ln(FLT_MAX): above, exp overflows to +inf
    private static final float LN_MIN = -87.33654022216797f;  // ln(FLT_MIN): below, the result flushes to 0
    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f, LN2_LO = -2.12194440e-4f;
    private static final float SHIFTER = 12582912f; // 1.5·2^23: adding it rounds to an integer
    private static final int SHIFTER_BITS = 0x4B400000;
    /** Cephes expf's polynomial for e^r - 1 - r over r², highest degree first. */
    private static final float P0 = 1.9875691500e-4f, P1 = 1.3981999507e-3f, P2 = 8.3334519073e-3f, P3 = 4.1665795894e-2f,
            P4 = 1.6666665459e-1f, P5 = 5.0000001201e-1f;

    /*
     * e^x per lane, Cephes expf (relative error below 1e-7): x = n·ln2 + r with n = round(x/ln2) (by the 1.5·2^23 shifter), |r| <= ln2/2, e^r by a degree-6
     * polynomial evaluated with fused multiply-adds, times 2^n built in the exponent bits (in two halves so n = 128 does not overflow). -inf gives 0,
     * +inf gives +inf, NaN stays NaN; results below FLT_MIN flush to 0.
     *
     * The formula is written out inside each loop below on purpose: as a method of its own (about 300 bytecodes)
     * the JIT compiles it separately and then refuses to inline it ("callee is too large"), and an out-of-line
     * call boxes every vector: 10x slower.
     */

    /**
     * {@code y[yo + i] = e^(x[xo + i] - shift)} for i < n, with {@code shift} at least every x (a softmax's row
     * maximum): the exponent is never positive, so there is no overflow clamp and 2^n is one exponent field
     * (n >= -126 above LN_MIN). If {@code laneSums} is not null, the {@link #SUM_LANES} partial sums of y are
     * stored there ({@link #laneSums}: the same bits at every width). Nothing vector-typed leaves the method: a
     * vector returned from a method that is not inlined (this one is too large) costs a box per loop iteration,
     * which made it 3x slower.
     */
    public static void expShifted(float[] x, int xo, float[] y, int yo, int n, float shift, float[] laneSums) {
        int i = 0;
        for (; i + FL <= n; i += FL) {
            FloatVector v = FloatVector.fromArray(F, x, xo + i).sub(shift);
            // e^v for v <= 0 (see above)
            FloatVector xc = v.max(LN_MIN);
            FloatVector t = xc.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, SHIFTER)); // n = round(x·log2e) sits in t's low mantissa bits
            FloatVector fl = t.sub(SHIFTER);
            FloatVector r = fl.fma(FloatVector.broadcast(F, -LN2_HI), xc);
            r = fl.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector p = r.fma(FloatVector.broadcast(F, P0), FloatVector.broadcast(F, P1));
            p = p.fma(r, FloatVector.broadcast(F, P2));
            p = p.fma(r, FloatVector.broadcast(F, P3));
            p = p.fma(r, FloatVector.broadcast(F, P4));
            p = p.fma(r, FloatVector.broadcast(F, P5));
            p = p.fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(SHIFTER_BITS);
            p = p.mul(ni.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            p = p.blend(0f, v.compare(VectorOperators.LT, LN_MIN));
            // end e^v
            p.intoArray(y, yo + i);
        }
        for (; i < n; i++) y[yo + i] = expScalar(x[xo + i] - shift);
        if (laneSums != null) {
            java.util.Arrays.fill(laneSums, 0, SUM_LANES, 0f);
            laneSums(y, yo, n, laneSums);
        }
    }

    /** The same e^v (v <= 0) for one value, in scalar float arithmetic (the tail of {@link #expShifted}). */
    public static float expScalar(float v) {
        if (Float.isNaN(v)) return v;
        if (v < LN_MIN) return 0f;
        float t = Math.fma(v, LOG2E, SHIFTER), fl = t - SHIFTER;
        float r = Math.fma(fl, -LN2_HI, v);
        r = Math.fma(fl, -LN2_LO, r);
        float p = Math.fma(r, P0, P1);
        p = Math.fma(p, r, P2);
        p = Math.fma(p, r, P3);
        p = Math.fma(p, r, P4);
        p = Math.fma(p, r, P5);
        p = Math.fma(p, r * r, r) + 1f;
        int ni = Float.floatToRawIntBits(t) - SHIFTER_BITS;
        return p * Float.intBitsToFloat((ni + 127) << 23);
    }

    /** {@code out[i] = x[i] · σ(k1·x[i] + k3·x[i]³)} for i in [s, e): SiLU, QuickGELU and tanh-GELU. */
    public static void xSigmoid(float[] x, float[] out, int s, int e, float k1, float k3) {
        for (int i = s; i < e; i += FL) {
            VectorMask<Float> m = F.indexInRange(i, e);
            FloatVector xv = FloatVector.fromArray(F, x, i, m);
            FloatVector v = xv.mul(xv).mul(k3).add(k1).mul(xv).neg();
            // e^v (see above)
            FloatVector xc = v.max(LN_MIN).min(LN_MAX);
            FloatVector t = xc.fma(FloatVector.broadcast(F, LOG2E), FloatVector.broadcast(F, SHIFTER)); // n = round(x·log2e) sits in t's low mantissa bits
            FloatVector fl = t.sub(SHIFTER);
            FloatVector r = fl.fma(FloatVector.broadcast(F, -LN2_HI), xc);
            r = fl.fma(FloatVector.broadcast(F, -LN2_LO), r);
            FloatVector p = r.fma(FloatVector.broadcast(F, P0), FloatVector.broadcast(F, P1));
            p = p.fma(r, FloatVector.broadcast(F, P2));
            p = p.fma(r, FloatVector.broadcast(F, P3));
            p = p.fma(r, FloatVector.broadcast(F, P4));
            p = p.fma(r, FloatVector.broadcast(F, P5));
            p = p.fma(r.mul(r), r).add(1f);
            IntVector ni = t.reinterpretAsInts().sub(SHIFTER_BITS);
            IntVector half = ni.lanewise(VectorOperators.ASHR, 1);
            p = p.mul(half.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats())
                    .mul(ni.sub(half).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats());
            p = p.blend(0f, v.compare(VectorOperators.LT, LN_MIN));
            p = p.blend(Float.POSITIVE_INFINITY, v.compare(VectorOperators.GT, LN_MAX));
            // end e^v
            xv.div(p.add(1f)).intoArray(out, i, m);
        }
    }

    /**
     * {@code n} floats {@code x[off ..]} rounded to bf16 (nearest even, NaN kept quiet, as
     * {@link org.uso4j.core.FloatFormats#floatToBf16}) and stored as shorts from byte {@code at} of {@code seg};
     * {@code n} a multiple of {@link #FL}.
     */
    public static void toBf16(float[] x, int off, int n, MemorySegment seg, long at) {
        for (int i = 0; i < n; i += FL) {
            IntVector b = FloatVector.fromArray(F, x, off + i).reinterpretAsInts();
            IntVector shifted = b.lanewise(VectorOperators.LSHR, 16);
            IntVector rounded = b.add(shifted.and(1)).add(0x7FFF).lanewise(VectorOperators.LSHR, 16);
            IntVector bits = rounded.blend(shifted.or(0x40), b.and(0x7FFFFFFF).compare(VectorOperators.GT, 0x7F800000));
            ((ShortVector) bits.convertShape(VectorOperators.I2S, S, 0)).intoMemorySegment(seg, at + 2L * i, LE);
        }
    }
}
