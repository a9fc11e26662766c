package org.uso4j.core.backend.cpu.gemm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.uso4j.core.backend.cpu.gemm.GemmKernel.MR;
import static org.uso4j.core.backend.cpu.gemm.GemmKernel.NR;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.uso4j.core.backend.cpu.Isa;
import org.uso4j.core.backend.cpu.simd.VectorMath;

/**
 * Every register block that fits this JVM's vector width against the in-order fma chain of its contract, bitwise.
 * The build runs this class at 512-, 256- and 128-bit widths (core's surefire executions), so every (block, width)
 * pair a machine can run is checked on it.
 */
class GemmKernelShapesTest {
    @ParameterizedTest
    @EnumSource(GemmKernel.Shape.class)
    void everyFittingBlockIsTheInOrderChain(GemmKernel.Shape shape) {
        org.junit.jupiter.api.Assumptions.assumeTrue(GemmKernel.fits(shape, VectorMath.FL), shape + " does not fit " + VectorMath.FL + " lanes");
        Random r = new Random(shape.ordinal());
        for (int kc : new int[] {1, 7, 64, 257}) {
            for (boolean accumulate : new boolean[] {false, true}) {
                float[] a = new float[kc * MR + 5], b = new float[kc * NR + 3];
                for (int i = 0; i < a.length; i++) a[i] = (float) r.nextGaussian();
                for (int i = 0; i < b.length; i++) b[i] = (float) r.nextGaussian();
                int ldc = NR + 9, c0 = 4;
                float[] c = new float[c0 + MR * ldc], expect = new float[c.length];
                for (int i = 0; i < c.length; i++) c[i] = expect[i] = (float) r.nextGaussian();
                for (int i = 0; i < MR; i++) {
                    for (int j = 0; j < NR; j++) {
                        float acc = accumulate ? expect[c0 + i * ldc + j] : 0f;
                        for (int k = 0; k < kc; k++) acc = Math.fma(a[5 + k * MR + i], b[3 + k * NR + j], acc);
                        expect[c0 + i * ldc + j] = acc;
                    }
                }
                GemmKernel.full(shape, a, 5, b, 3, kc, c, c0, ldc, accumulate);
                for (int i = 0; i < c.length; i++) {
                    assertEquals(Float.floatToRawIntBits(expect[i]), Float.floatToRawIntBits(c[i]),
                            shape + " kc=" + kc + " accumulate=" + accumulate + " at " + i);
                }
            }
        }
    }

    @Test
    void blockChoicePerWidthAndRegisterFile() {
        assertEquals(GemmKernel.Shape.ROWS12_V2, GemmKernel.choose(16, 32, Isa.Family.AVX512));
        assertEquals(GemmKernel.Shape.ROWS12_V1, GemmKernel.choose(8, 16, Isa.Family.AVX2)); // 12 + 1 + 1 of 16 ymm
        assertEquals(GemmKernel.Shape.ROWS12_V1, GemmKernel.choose(4, 16, Isa.Family.SSE));
        assertEquals(GemmKernel.Shape.ROWS6_V2, GemmKernel.choose(8, 32, Isa.Family.AVX512)); // AVX-512VL at 256 bits
        assertEquals(GemmKernel.Shape.ROWS6_V2, GemmKernel.choose(4, 32, Isa.Family.AVX512));
        assertEquals(GemmKernel.Shape.ROWS6_V4, GemmKernel.choose(4, 32, Isa.Family.NEON));   // four FMA pipes
        assertEquals(GemmKernel.choose(VectorMath.FL, Isa.HOST.registers(), Isa.HOST.family()), GemmKernel.SHAPE);
    }
}
