package org.uso4j.core.backend.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** The vector exp, fixed-order lane reductions and bf16 widening against plain Java. */
public class VectorMathTest {
    @Test
    void expMatchesStrictMath() {
        Random r = new Random(1);
        float[] x = new float[20_003], y = new float[x.length];
        for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextDouble() * 100 - 95); // x - shift in [-100, 0]
        float[] special = {Float.NEGATIVE_INFINITY, Float.NaN, 5f, 4.99999f, 4f, -82.3f, -82.33654f, -82.34f, 5f - 1e-7f};
        System.arraycopy(special, 0, x, 0, special.length);
        x[x.length - 1] = Float.NEGATIVE_INFINITY; // in the scalar tail
        x[x.length - 2] = Float.NaN;
        VectorMath.expShifted(x, 0, y, 0, x.length, 5f, null);
        for (int i = 0; i < x.length; i++) {
            double e = StrictMath.exp(x[i] - 5f);
            if (Double.isNaN(e)) assertTrue(Float.isNaN(y[i]));
            else if (e < Float.MIN_NORMAL) assertTrue(y[i] == 0f || Math.abs(y[i] - e) <= Float.MIN_NORMAL, "exp(" + x[i] + " - 5)");
            else assertEquals(e, y[i], 2e-7 * e, "exp(" + x[i] + " - 5)");
        }
    }

    @Test
    void expShiftedTailIsBitwiseTheVectorFormula() {
        Random r = new Random(2);
        int n = 5 * VectorMath.FL + 7;
        float[] x = new float[n], whole = new float[n], tail = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) (-r.nextDouble() * 90);
        VectorMath.expShifted(x, 0, whole, 0, n, 0f, null);
        for (int start = 0; start < n; start++) {
            float[] one = new float[1];
            VectorMath.expShifted(x, start, one, 0, 1, 0f, null); // all scalar
            tail[start] = one[0];
        }
        for (int i = 0; i < n; i++) assertEquals(Float.floatToRawIntBits(whole[i]), Float.floatToRawIntBits(tail[i]), "element " + i);
    }

    @Test
    void toBf16RoundsLikeFloatFormats() {
        Random r = new Random(3);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) x[i] = Float.intBitsToFloat(r.nextInt());
        float[] special = {Float.NaN, Float.intBitsToFloat(0x7F800001), Float.intBitsToFloat(0xFFC00001), Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY, 0f, -0f, Float.MAX_VALUE, Float.MIN_VALUE, Float.intBitsToFloat(0x3F808000),
            Float.intBitsToFloat(0x3F818000), Float.intBitsToFloat(0x3F807FFF), Float.intBitsToFloat(0x7F7FFFFF)};
        System.arraycopy(special, 0, x, 0, special.length);
        java.lang.foreign.MemorySegment seg = java.lang.foreign.MemorySegment.ofArray(new short[x.length + 8]);
        VectorMath.toBf16(x, 0, x.length, seg, 16);
        for (int i = 0; i < x.length; i++) {
            assertEquals(org.uso4j.core.FloatFormats.floatToBf16(x[i]), seg.get(java.lang.foreign.ValueLayout.JAVA_SHORT, 16 + 2L * i),
                    "bf16 of " + Integer.toHexString(Float.floatToRawIntBits(x[i])));
        }
    }

    @Test
    void expShiftedSumsWhatItWrites() {
        float[] x = new float[37], y = new float[37];
        for (int i = 0; i < x.length; i++) x[i] = -i * 0.25f;
        float[] sums = new float[VectorMath.SUM_LANES];
        VectorMath.expShifted(x, 0, y, 0, x.length, -1f, sums);
        float[] partial = new float[16];
        for (int i = 0; i < y.length; i++) partial[i % 16] += y[i];
        org.junit.jupiter.api.Assertions.assertArrayEquals(partial, sums, "16 partial sums, element i in partial i % 16, in order");
        float lanes = 0;
        for (float v : sums) lanes += v;
        double expect = 0;
        for (float v : y) expect += v;
        assertEquals(expect, lanes, 1e-5);
        assertEquals(Math.exp(1), y[0], 1e-6);
    }

    @Test
    void laneReductions() {
        float[] v = new float[VectorMath.FL];
        double s = 0;
        for (int i = 0; i < v.length; i++) { v[i] = i * 1.5f - 3; s += v[i]; }
        FloatVector fv = FloatVector.fromArray(VectorMath.F, v, 0);
        assertEquals(s, VectorMath.sum(fv), 1e-6);
        assertEquals(v[v.length - 1], VectorMath.max(fv));
    }

    @Test
    void sum16IsTheSixteenLaneTreeAtEveryWidth() {
        java.util.Random r = new java.util.Random(3);
        for (int round = 0; round < 200; round++) {
            float[] lanes = new float[16];
            for (int i = 0; i < 16; i++) lanes[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(8) - 4));
            // the fixed butterfly: lane i + lane i^8, then ^4, ^2, ^1
            float[] t = lanes.clone();
            for (int step = 8; step >= 1; step /= 2) {
                float[] u = new float[16];
                for (int i = 0; i < 16; i++) u[i] = t[i] + t[i ^ step];
                t = u;
            }
            int fl = VectorMath.FL;
            FloatVector[] v = new FloatVector[4];
            for (int j = 0; j < 4; j++) {
                v[j] = j < VectorMath.SUM_VECTORS ? FloatVector.fromArray(VectorMath.F, lanes, j * fl) : FloatVector.zero(VectorMath.F);
            }
            assertEquals(Float.floatToRawIntBits(t[0]), Float.floatToRawIntBits(VectorMath.sum16(v[0], v[1], v[2], v[3])), "round " + round);
        }
    }

    @Test
    void laneSumsKeepSixteenPartialsInOrder() {
        java.util.Random r = new java.util.Random(4);
        for (int n : new int[] {0, 1, 15, 16, 17, 33, 100, 256}) {
            float[] y = new float[n + 3], lanes = new float[16], expect = new float[16];
            for (int i = 0; i < y.length; i++) y[i] = (float) r.nextGaussian();
            for (int i = 0; i < 16; i++) lanes[i] = expect[i] = i * 0.5f;
            for (int i = 0; i < n; i++) expect[i % 16] += y[3 + i];
            VectorMath.laneSums(y, 3, n, lanes);
            org.junit.jupiter.api.Assertions.assertArrayEquals(expect, lanes, "n = " + n);
        }
    }
}
