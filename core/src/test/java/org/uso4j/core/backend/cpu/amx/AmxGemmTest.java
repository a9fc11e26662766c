package org.uso4j.core.backend.cpu.amx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.uso4j.core.DType;
import org.uso4j.core.FloatFormats;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.Activation;
import org.uso4j.core.backend.CpuBackend;
import org.uso4j.core.backend.MatmulPrecision;
import org.uso4j.core.backend.ScalarBackend;
import org.uso4j.core.backend.Twins;
import org.uso4j.core.backend.cpu.Workers;

/**
 * The AMX bf16 GEMM against a double-precision reference of the bf16-rounded operands, on awkward shapes (edges
 * in rows, columns and k) and several weight dtypes. Runs where the CPU has AMX-BF16 (skipped elsewhere).
 */
public class AmxGemmTest {

    @ParameterizedTest
    @CsvSource({
            "32, 32, 32, BF16", "1, 64, 16, BF16", "45, 70, 33, BF16", "100, 1030, 300, BF16", "300, 2048, 257, BF16",
            "64, 96, 64, F32", "77, 256, 130, Q8_0", "50, 512, 40, F8_E4M3", "40, 512, 48, F16", "33, 31, 40, F32", "70, 3072, 96, BF16"})
    void matchesReference(int rows, int k, int n, DType type) {
        assumeTrue(AmxKernel.available(), () -> "AMX: " + AmxKernel.unavailableReason());
        Random rnd = new Random(rows * 31L + k * 7L + n);
        float[] x = new float[rows * k], wf = new float[n * k], bias = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < wf.length; i++) wf[i] = (float) rnd.nextGaussian() * 0.1f;
        for (int i = 0; i < n; i++) bias[i] = i * 0.01f;
        Tensor w = switch (type) {
            case F32 -> Tensor.wrap(wf, n, k);
            case Q8_0 -> Twins.randomBlocks(type, rnd, n, k);
            default -> Twins.stored(type, Tensor.wrap(wf, n, k));
        };
        float[] wd = w.toF32().floats();
        float[] y = new float[rows * n];
        Workers workers = new Workers(2);
        try {
            AmxGemm.run(workers, x, rows, k, w, bias, y);
        } finally {
            workers.shutdown();
        }
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < n; o++) {
                double s = bias[o], mag = Math.abs(bias[o]);
                for (int i = 0; i < k; i++) {
                    double p = (double) round(x[r * k + i]) * round(wd[o * k + i]);
                    s += p;
                    mag += Math.abs(p);
                }
                int at = r * n + o;
                assertEquals(s, y[at], 1e-5 * mag + 1e-6, () -> "y[" + at / n + ", " + at % n + "]");
            }
        }
    }

    @org.junit.jupiter.api.Test
    void backendUsesAmxOnlyWhenAskedAndAvailable() {
        try (CpuBackend f32 = new CpuBackend(2); CpuBackend bf16 = new CpuBackend(2, MatmulPrecision.BF16)) {
            assertEquals(MatmulPrecision.F32, f32.precision());
            assertEquals(AmxKernel.available() ? MatmulPrecision.BF16 : MatmulPrecision.F32, bf16.precision());
            Random rnd = new Random(5);
            float[] x = new float[64 * 96], wf = new float[40 * 96];
            for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
            for (int i = 0; i < wf.length; i++) wf[i] = (float) rnd.nextGaussian();
            Tensor xt = Tensor.wrap(x, 2, 32, 96), w = Twins.stored(DType.BF16, Tensor.wrap(wf, 40, 96));
            float[] exact = f32.linear(xt, w, null).floats(), fast = bf16.linear(xt, w, null).floats();
            if (!AmxKernel.available()) {
                // no AMX: asking for bf16 falls back to the exact float32 products
                org.junit.jupiter.api.Assertions.assertArrayEquals(exact, fast, "float32 fallback without AMX: " + AmxKernel.unavailableReason());
                return;
            }
            float[] rounded = f32.linear(Tensor.wrap(roundAll(x), 2, 32, 96), w, null).floats();
            for (int i = 0; i < exact.length; i++) {
                assertEquals(rounded[i], fast[i], 1e-4f * (1 + Math.abs(rounded[i])), "bf16 product of the rounded activations");
                assertEquals(exact[i], fast[i], 0.25f, "close to the float32 product");
            }
            // few rows: the memory-bound kernel, bitwise float32 in both precisions
            Tensor few = Tensor.wrap(java.util.Arrays.copyOf(x, 3 * 96), 3, 96);
            org.junit.jupiter.api.Assertions.assertArrayEquals(f32.linear(few, w, null).floats(), bf16.linear(few, w, null).floats());
        }
    }

    @ParameterizedTest
    @CsvSource({"64, 96, 40, 8, BF16", "45, 70, 33, 5, F32", "100, 512, 300, 128, Q8_0"})
    void lowRankIsSummedInTheSameProduct(int rows, int k, int n, int r, DType type) {
        Random rnd = new Random(rows + k + n + r);
        float[] x = new float[rows * k], t = new float[rows * r], wf = new float[n * k], uf = new float[n * r], bias = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < t.length; i++) t[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < wf.length; i++) wf[i] = (float) rnd.nextGaussian() * 0.1f;
        for (int i = 0; i < uf.length; i++) uf[i] = (float) rnd.nextGaussian() * 0.1f;
        for (int i = 0; i < n; i++) bias[i] = 0.5f - i * 0.01f;
        Tensor w = type == DType.Q8_0 ? Twins.randomBlocks(type, rnd, n, k) : type == DType.F32 ? Tensor.wrap(wf, n, k) : Twins.stored(type, Tensor.wrap(wf, n, k));
        Tensor up = Twins.stored(DType.BF16, Tensor.wrap(uf, n, r));
        Tensor xt = Tensor.wrap(x, rows, k), tt = Tensor.wrap(t, rows, r), bt = Tensor.wrap(bias, n);
        float[] exact = new ScalarBackend().linearLowRank(xt, w, bt, tt, up).floats();
        try (CpuBackend f32 = new CpuBackend(2); CpuBackend bf16 = new CpuBackend(2, MatmulPrecision.BF16)) {
            float[] cpu = f32.linearLowRank(xt, w, bt, tt, up).floats();
            for (int i = 0; i < exact.length; i++) assertEquals(exact[i], cpu[i], 1e-4f * (1 + Math.abs(exact[i])), "f32 path");
            float[] fast = bf16.linearLowRank(xt, w, bt, tt, up).floats();
            float[] wd = w.toF32().floats(), ud = up.toF32().floats();
            for (int row = 0; row < rows; row++) {
                for (int o = 0; o < n; o++) {
                    double s = bias[o], mag = Math.abs(bias[o]);
                    for (int i = 0; i < k; i++) { double p = (double) round(x[row * k + i]) * round(wd[o * k + i]); s += p; mag += Math.abs(p); }
                    for (int i = 0; i < r; i++) { double p = (double) round(t[row * r + i]) * round(ud[o * r + i]); s += p; mag += Math.abs(p); }
                    float ref = (float) s;
                    double tol = bf16.precision() == MatmulPrecision.BF16 ? 1e-5 * mag + 1e-6 : 1e-2 * mag;
                    assertEquals(ref, fast[row * n + o], tol, "y[" + row + ", " + o + "]");
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({"64, 96, 300, GELU_TANH", "45, 1100, 70, SILU", "33, 64, 520, GELU_ERF"})
    void activationAppliedAsTheOutputIsWritten(int rows, int k, int n, Activation act) {
        Random rnd = new Random(rows * 7L + n);
        float[] x = new float[rows * k], wf = new float[n * k], bias = new float[n];
        for (int i = 0; i < x.length; i++) x[i] = (float) rnd.nextGaussian();
        for (int i = 0; i < wf.length; i++) wf[i] = (float) rnd.nextGaussian() * 0.1f;
        for (int i = 0; i < n; i++) bias[i] = 0.3f - i * 0.002f;
        Tensor xt = Tensor.wrap(x, rows, k), w = Twins.stored(DType.BF16, Tensor.wrap(wf, n, k)), bt = Tensor.wrap(bias, n);
        try (CpuBackend f32 = new CpuBackend(2); CpuBackend bf16 = new CpuBackend(2, MatmulPrecision.BF16)) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(f32.activate(f32.linear(xt, w, bt), act).floats(),
                    f32.linear(xt, w, bt, act).floats(), "f32: exactly activate(linear)");
            float[] separate = bf16.activate(bf16.linear(xt, w, bt), act).floats(), fused = bf16.linear(xt, w, bt, act).floats();
            org.junit.jupiter.api.Assertions.assertArrayEquals(separate, fused, "the same kernel outputs, activated in place");
        }
    }

    private static float[] roundAll(float[] v) {
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) o[i] = round(v[i]);
        return o;
    }

    private static float round(float v) { return FloatFormats.bf16ToFloat(FloatFormats.floatToBf16(v)); }
}
