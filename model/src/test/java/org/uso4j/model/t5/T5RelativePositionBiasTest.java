package org.uso4j.model.t5;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class T5RelativePositionBiasTest {
    /** The table of ENCODERS.md for 32 buckets / max distance 128; keys to the right use buckets 16..31. */
    @Test
    void bidirectionalBuckets() {
        int[][] ranges = {{8, 11, 8}, {12, 15, 9}, {16, 22, 10}, {23, 31, 11}, {32, 45, 12}, {46, 63, 13}, {64, 90, 14}, {91, 100000, 15}};
        for (int n = 0; n < 8; n++) {
            assertEquals(n, T5RelativePositionBias.bucket(-n, 32, 128));
            assertEquals(n == 0 ? 0 : 16 + n, T5RelativePositionBias.bucket(n, 32, 128));
        }
        for (int[] r : ranges) {
            for (int n = r[0]; n <= r[1]; n += (n < 1000 ? 1 : 997)) {
                assertEquals(r[2], T5RelativePositionBias.bucket(-n, 32, 128), "n = -" + n);
                assertEquals(16 + r[2], T5RelativePositionBias.bucket(n, 32, 128), "n = " + n);
            }
        }
    }
}
