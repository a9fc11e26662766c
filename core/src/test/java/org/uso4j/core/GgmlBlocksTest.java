package org.uso4j.core;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Block decoders on random blocks: decoding any block-aligned range, including a partial last block and a
 * destination offset, gives the same values as decoding everything. (Values against ggml: GgufGoldenTest.)
 */
class GgmlBlocksTest {
    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void rangesAgreeWithTheWholeDecode(DType type) {
        int blocks = 5, bs = type.blockSize();
        byte[] raw = new byte[blocks * type.bytesPerBlock()];
        new Random(type.ordinal()).nextBytes(raw);
        MemorySegment seg = MemorySegment.ofArray(raw);
        float[] all = new float[blocks * bs];
        Dequantize.decode(type, seg, 0, all, 0, all.length);
        for (int first = 0; first < blocks; first++) {
            for (int n : new int[]{1, bs - 1, bs, bs + 7, (blocks - first) * bs}) {
                if (first * bs + n > all.length) continue;
                float[] part = new float[n + 3];
                Dequantize.decode(type, seg, (long) first * bs, part, 3, n);
                assertArrayEquals(Arrays.copyOfRange(all, first * bs, first * bs + n), Arrays.copyOfRange(part, 3, 3 + n),
                        type + " first block " + first + " n " + n);
                assertEquals(0f, part[0]);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Dequantize.decode(type, seg, 1, new float[bs], 0, bs));
    }
}
