package org.uso4j.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FloatFormatsTest {
    @Test
    void e5m2RoundTripsEveryCode() {
        for (int b = 0; b < 256; b++) {
            float f = FloatFormats.e5m2ToFloat((byte) b);
            if (Float.isNaN(f)) {
                assertTrue(Float.isNaN(FloatFormats.e5m2ToFloat(FloatFormats.floatToE5M2(f))));
            } else {
                assertEquals(b, FloatFormats.floatToE5M2(f) & 0xFF, "code " + b + " = " + f);
            }
        }
    }

    @Test
    void e5m2RoundsToNearestEvenAndOverflowsToInfinity() {
        assertEquals(1f, FloatFormats.e5m2ToFloat(FloatFormats.floatToE5M2(1.125f)));   // tie → even mantissa
        assertEquals(1.5f, FloatFormats.e5m2ToFloat(FloatFormats.floatToE5M2(1.375f))); // tie → even mantissa
        assertEquals(1.25f, FloatFormats.e5m2ToFloat(FloatFormats.floatToE5M2(1.2f)));
        assertEquals(57344f, FloatFormats.e5m2ToFloat(FloatFormats.floatToE5M2(60000f)));
        assertEquals(Float.POSITIVE_INFINITY, FloatFormats.e5m2ToFloat(FloatFormats.floatToE5M2(70000f)));
        assertEquals(Float.NEGATIVE_INFINITY, FloatFormats.e5m2ToFloat(FloatFormats.floatToE5M2(Float.NEGATIVE_INFINITY)));
        assertEquals(0x1p-16f, FloatFormats.e5m2ToFloat(FloatFormats.floatToE5M2(0x1p-16f))); // subnormal
    }
}
