package org.uso4j.core.backend.cpu.amx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.uso4j.core.FloatFormats;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.MatmulPrecision;

/**
 * AMX bf16 attention against a double-precision softmax of the bf16-rounded q, k, v, on lengths that leave partial
 * query blocks, key blocks and tiles. Runs where the CPU has AMX-BF16 (skipped elsewhere).
 */
public class AmxAttentionTest {

    @ParameterizedTest
    @CsvSource({"1, 1, 1, 1, 32, 32", "1, 2, 33, 70, 64, 32", "2, 3, 130, 257, 128, 128", "1, 2, 300, 600, 128, 64", "1, 1, 5, 513, 32, 96"})
    void matchesReference(int b, int h, int lq, int lk, int d, int dv) {
        assumeTrue(AmxKernel.available(), () -> "AMX: " + AmxKernel.unavailableReason());
        Random r = new Random(lq * 131L + lk);
        float[] q = random(r, b * h * lq * d, 1.5f), k = random(r, b * h * lk * d, 1.5f), v = random(r, b * h * lk * dv, 1f);
        float scale = (float) (1 / Math.sqrt(d));
        float[] got;
        try (CpuBackend cpu = new CpuBackend(2, MatmulPrecision.BF16)) {
            got = cpu.attention(Tensor.wrap(q, b, h, lq, d), Tensor.wrap(k, b, h, lk, d), Tensor.wrap(v, b, h, lk, dv), scale, null, false).floats();
        }
        for (int z = 0; z < b * h; z++) {
            for (int i = 0; i < lq; i++) {
                double[] p = new double[lk];
                double max = Double.NEGATIVE_INFINITY, sum = 0;
                for (int j = 0; j < lk; j++) {
                    double s = 0;
                    for (int c = 0; c < d; c++) s += (double) round(q[(z * lq + i) * d + c]) * round(k[(z * lk + j) * d + c]);
                    p[j] = s * scale;
                    max = Math.max(max, p[j]);
                }
                for (int j = 0; j < lk; j++) sum += p[j] = Math.exp(p[j] - max);
                for (int c = 0; c < dv; c++) {
                    double o = 0;
                    for (int j = 0; j < lk; j++) o += p[j] / sum * round(v[(z * lk + j) * dv + c]);
                    int at = (z * lq + i) * dv + c;
                    assertEquals(o, got[at], 6e-3, "out[" + z + ", " + i + ", " + c + "]"); // probabilities are bf16: ~2^-9 each
                }
            }
        }
    }

    private static float[] random(Random r, int n, float sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian() * sd;
        return x;
    }

    private static float round(float v) { return FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(v)); }
}
