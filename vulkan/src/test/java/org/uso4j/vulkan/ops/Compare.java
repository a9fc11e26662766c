package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Random;

/** What the op tests share: random operands and an element-wise comparison that reports the worst error. */
final class Compare {
    private Compare() {}

    static float[] uniform(Random r, int n, float lo, float hi) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * r.nextFloat();
        return a;
    }

    /**
     * Fails unless every {@code |actual - expected| ≤ rtol · max(|expected|, floor)} (NaN only where expected is NaN);
     * returns the worst {@code |actual - expected| / max(|expected|, floor)}.
     */
    static double assertClose(float[] expected, float[] actual, double rtol, double floor, String what) {
        if (expected.length != actual.length) fail(what + ": " + actual.length + " values, expected " + expected.length);
        double worst = 0;
        for (int i = 0; i < expected.length; i++) {
            float e = expected[i], a = actual[i];
            if (Float.isNaN(e) || Float.isNaN(a)) {
                if (Float.isNaN(e) != Float.isNaN(a)) fail(what + ": element " + i + " is " + a + ", expected " + e);
                continue;
            }
            double err = Math.abs((double) a - e) / Math.max(Math.abs(e), floor);
            if (!(err <= rtol)) fail(what + ": element " + i + " is " + a + ", expected " + e + " (relative error " + err + " > " + rtol + ")");
            worst = Math.max(worst, err);
        }
        return worst;
    }
}
