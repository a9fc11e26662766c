package org.uso4j.vulkan.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Comparisons of a device result with the scalar twin's. */
final class Near {
    private Near() {}

    /**
     * Each element within {@code tol · (|expected| + rms(expected))}: relative where values are large, and scaled to the
     * output's size where a sum cancels to near zero (a float32 sum of k products errs by about sqrt(k)·eps of its terms).
     */
    static void assertClose(float[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double ss = 0;
        for (float e : expected) ss += (double) e * e;
        double rms = Math.sqrt(ss / Math.max(1, expected.length));
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i], err = Math.abs(a - e);
            if (!(err <= tol * (Math.abs(e) + rms))) {
                fail(what + ": element " + i + " is " + a + ", expected " + e + " (error " + err + ", allowed " + tol * (Math.abs(e) + rms) + ")");
            }
        }
    }

    /** The tolerance of a float32 dot product of length k against a double one: sqrt(k) float epsilons, 4× margin. */
    static double dot(long k) { return 4 * Math.sqrt(Math.max(1, k)) * 0x1p-24 * 2 + 1e-6; }
}
