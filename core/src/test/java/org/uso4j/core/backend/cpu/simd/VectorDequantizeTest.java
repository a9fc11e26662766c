package org.uso4j.core.backend.cpu.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.uso4j.core.DType;
import org.uso4j.core.Dequantize;

/** {@link VectorDequantize} against its scalar twin {@link Dequantize#decode}, bit for bit (NaNs compared as NaN). */
public class VectorDequantizeTest {
    private static void same(DType type, MemorySegment seg, long first, int n, int off) {
        float[] expected = new float[off + n], actual = new float[off + n];
        Dequantize.decode(type, seg, first, expected, off, n);
        VectorDequantize.decode(type, seg, first, actual, off, n);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToIntBits(expected[i]), Float.floatToIntBits(actual[i]),
                    () -> type + " first " + first + " n " + n + ": element " + "differs");
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void blockTypesOnRandomBlocks(DType type) {
        int blocks = 7, bs = type.blockSize();
        byte[] raw = new byte[blocks * type.bytesPerBlock()];
        new Random(type.ordinal()).nextBytes(raw);
        MemorySegment seg = MemorySegment.ofArray(raw);
        for (int first = 0; first < blocks; first++) {
            for (int n : new int[] {bs, 2 * bs + 5, (blocks - first) * bs, bs - 3}) {
                if (first * bs + n <= blocks * bs) same(type, seg, (long) first * bs, n, 3);
            }
        }
    }

    @Test
    void everyHalfAndFloat8BitPattern() {
        byte[] halves = new byte[2 * 65536 + 6];
        for (int i = 0; i < 65536; i++) {
            halves[2 * i] = (byte) i;
            halves[2 * i + 1] = (byte) (i >>> 8);
        }
        MemorySegment h = MemorySegment.ofArray(halves);
        same(DType.F16, h, 0, 65536, 5);
        same(DType.BF16, h, 0, 65536, 0);
        same(DType.F16, h, 3, 65533, 1);
        byte[] bytes = new byte[256 + 33];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) i;
        MemorySegment b = MemorySegment.ofArray(bytes);
        for (DType t : new DType[] {DType.F8_E4M3, DType.F8_E5M2}) {
            same(t, b, 0, 256, 0);
            same(t, b, 7, 281, 2);
        }
    }

    @Test
    void float32RangesWithTails() {
        Random r = new Random(3);
        float[] v = new float[301];
        for (int i = 0; i < v.length; i++) v[i] = (float) r.nextGaussian();
        MemorySegment s = MemorySegment.ofArray(v);
        same(DType.F32, s, 0, 301, 0);
        same(DType.F32, s, 13, 200, 4);
    }
}
