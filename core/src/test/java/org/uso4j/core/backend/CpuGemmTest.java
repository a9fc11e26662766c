package org.uso4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;

/** linear, matmul and conv2d of {@link CpuBackend} against {@link ScalarBackend} on awkward shapes. */
class CpuGemmTest {
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
