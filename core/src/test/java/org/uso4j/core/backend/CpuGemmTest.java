package org.uso4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.cpu.Workers;
import org.uso4j.core.backend.cpu.gemm.Gemm;
import org.uso4j.core.backend.cpu.gemm.GemmKernel;
import org.uso4j.core.backend.cpu.gemm.Panels;

/** linear, matmul and conv2d of {@link CpuBackend} against {@link ScalarBackend} on awkward shapes. */
public class CpuGemmTest {
    private static final double RTOL = 2e-5, ATOL = 1e-6;

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"F32", "BF16", "F16", "F8_E4M3", "F8_E5M2"})
    void linearEveryWeightDtype(DType type) {
        Random r = new Random(1);
        for (int rows : new int[] {1, 3, 5, 16, 17, 40}) {
            for (int in : new int[] {67, 300}) {
                Tensor x = Twins.randn(r, rows, in), w = Twins.stored(type, Twins.randn(r, 131, in));
                Tensor b = rows % 2 == 0 ? null : Twins.randn(r, 131);
                Twins.close(be -> be.linear(x, w, b), RTOL, ATOL, "linear " + type + " rows=" + rows + " in=" + in);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = DType.class, names = {"Q8_0", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void linearEveryGgmlWeightType(DType type) {
        Random r = new Random(type.ordinal());
        int bs = type.blockSize();
        for (int in : new int[] {bs, 3 * bs, bs == 32 ? 320 : 768}) { // one block, several, more than one K tile
            Tensor w = Twins.randomBlocks(type, r, 45, in);
            for (int rows : new int[] {1, 5, 16, 29}) {
                Tensor x = Twins.randn(r, rows, in), b = rows % 2 == 0 ? null : Twins.randn(r, 45);
                Twins.close(be -> be.linear(x, w, b), RTOL, ATOL, "linear " + type + " rows=" + rows + " in=" + in);
            }
        }
    }

    @Test
    void linearPackedGemmEdges() {
        Random r = new Random(7);
        // rows around the 12-row micro-panel and 96-row block, columns around the 32-column panel and 512-column block
        for (int rows : new int[] {12, 13, 95, 97}) {
            for (int out : new int[] {31, 33, 512, 545}) {
                Tensor x = Twins.randn(r, rows, 70), w = Twins.stored(DType.BF16, Twins.randn(r, out, 70)), b = Twins.randn(r, out);
                Twins.close(be -> be.linear(x, w, b), RTOL, ATOL, "linear rows=" + rows + " out=" + out);
            }
        }
    }

    @Test
    void packingInSlabsGivesTheSameBits() {
        Random r = new Random(8);
        int batch = 3, rows = 50, k = 300, n = 70;
        float[] a = Twins.randn(r, batch, rows, k).floats(), b = Twins.randn(r, batch, k, n).floats();
        float[] bias = Twins.randn(r, n).floats();
        Workers w = new Workers(2);
        try {
            float[] whole = new float[batch * rows * n];
            Gemm.run(w, batch, a, rows * k, rows, k, z -> Panels.ofColumns(b, z * k * n, n), n, whole, rows * n, bias);
            // limits that force: several batches per pass, one batch per pass, and row slabs of 1 and 2 micro-panels
            for (long limit : new long[] {2L * rows * k + 1000, (long) 60 * k, (long) GemmKernel.MR * k, 2L * GemmKernel.MR * k}) {
                float[] c = new float[whole.length];
                Gemm.run(w, batch, a, rows * k, rows, k, z -> Panels.ofColumns(b, z * k * n, n), n, c, rows * n, bias, limit);
                assertArrayEquals(whole, c, "pack limit " + limit);
            }
        } finally {
            w.shutdown();
        }
    }

    @Test
    void linearDenseWeightAndBatchDims() {
        Random r = new Random(2);
        Tensor x = Twins.randn(r, 2, 13, 37), w = Twins.randn(r, 70, 37), b = Twins.randn(r, 70);
        Twins.close(be -> be.linear(x, w, b), RTOL, ATOL, "linear [2,13,37]");
        Tensor x1 = Twins.randn(r, 1, 37);
        Twins.close(be -> be.linear(x1, w, null), RTOL, ATOL, "linear gemv dense");
    }

    @Test
    void linearManyRowsSplitsRowsAcrossWorkers() {
        Random r = new Random(3);
        Tensor x = Twins.randn(r, 1250, 29), w = Twins.stored(DType.BF16, Twins.randn(r, 45, 29)), b = Twins.randn(r, 45);
        Twins.close(be -> be.linear(x, w, b), RTOL, ATOL, "linear 1250 rows");
    }

    @Test
    void matmulPlainTransposedAndBroadcast() {
        Random r = new Random(4);
        Tensor a = Twins.randn(r, 2, 3, 5, 67);
        Tensor b = Twins.randn(r, 2, 3, 67, 41), bt = Twins.randn(r, 2, 3, 41, 67), shared = Twins.randn(r, 67, 41);
        Twins.close(be -> be.matmul(a, b, false), RTOL, ATOL, "matmul");
        Twins.close(be -> be.matmul(a, bt, true), RTOL, ATOL, "matmul transposed");
        Twins.close(be -> be.matmul(a, shared, false), RTOL, ATOL, "matmul broadcast b");
        Tensor big = Twins.randn(r, 37, 300), bb = Twins.randn(r, 300, 133);
        Twins.close(be -> be.matmul(big, bb, false), RTOL, ATOL, "matmul k > tile");
    }

    @Test
    void conv2dPaddingStrideAndDtypes() {
        Random r = new Random(5);
        Tensor x = Twins.randn(r, 2, 5, 13, 11);
        Tensor w3 = Twins.randn(r, 7, 5, 3, 3), b = Twins.randn(r, 7);
        Twins.close(be -> be.conv2d(x, w3, b, 1, new int[] {1, 1, 1, 1}), RTOL, ATOL, "conv 3x3 pad 1");
        Twins.close(be -> be.conv2d(x, w3, null, 2, new int[] {0, 0, 1, 1}), RTOL, ATOL, "conv 3x3 stride 2 pad (0,0,1,1)");
        Tensor w1 = Twins.randn(r, 9, 5, 1, 1);
        Twins.close(be -> be.conv2d(x, w1, null, 1, new int[] {0, 0, 0, 0}), RTOL, ATOL, "conv 1x1");
        Tensor wb = Twins.stored(DType.BF16, w3), wf = Twins.stored(DType.F16, w3);
        Twins.close(be -> be.conv2d(x, wb, b, 1, new int[] {2, 0, 1, 2}), RTOL, ATOL, "conv bf16 asymmetric pad");
        Twins.close(be -> be.conv2d(x, wf, b, 1, new int[] {1, 1, 1, 1}), RTOL, ATOL, "conv f16");
        Tensor deep = Twins.randn(r, 1, 40, 6, 5), wd = Twins.randn(r, 3, 40, 3, 3);
        Twins.close(be -> be.conv2d(deep, wd, null, 1, new int[] {1, 1, 1, 1}), RTOL, ATOL, "conv K=360 > tile, 3 out channels");
        Tensor wide = Twins.randn(r, 1, 3, 40, 41), ww = Twins.randn(r, 8, 3, 3, 3), b8 = Twins.randn(r, 8);
        Twins.close(be -> be.conv2d(wide, ww, b8, 1, new int[] {1, 1, 1, 1}), RTOL, ATOL, "conv several row bands");
    }

    @Test
    void warmResultsEqualColdResults() {
        Random r = new Random(6);
        Tensor x = Twins.randn(r, 20, 67), w = Twins.stored(DType.BF16, Twins.randn(r, 50, 67));
        Tensor x1 = Twins.randn(r, 2, 67);
        try (CpuBackend cpu = new CpuBackend(2)) {
            float[] cold = cpu.linear(x, w, null).floats(), cold1 = cpu.linear(x1, w, null).floats();
            for (int i = 0; i < 300; i++) {
                assertArrayEquals(cold, cpu.linear(x, w, null).floats());
                assertArrayEquals(cold1, cpu.linear(x1, w, null).floats());
            }
        }
    }
}
