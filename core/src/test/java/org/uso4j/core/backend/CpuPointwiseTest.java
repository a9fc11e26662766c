package org.uso4j.core.backend;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;

/** Normalisations, activations, elementwise and image ops of {@link CpuBackend} against the scalar twin. */
public class CpuPointwiseTest {
    private static final double RTOL = 1e-5, ATOL = 1e-6;

    @Test
    void layerAndRmsNorm() {
        Random r = new Random(1);
        for (int c : new int[] {1, 7, 67, 3000}) {
            Tensor x = Twins.randn(r, 5, c), w = Twins.randn(r, c), b = Twins.randn(r, c);
            Tensor wb = Twins.stored(DType.BF16, w);
            Twins.close(be -> be.layerNorm(x, w, b, 1e-6f), RTOL, ATOL, "layerNorm c=" + c);
            Twins.close(be -> be.layerNorm(x, null, null, 1e-5f), RTOL, ATOL, "layerNorm plain c=" + c);
            Twins.close(be -> be.rmsNorm(x, wb, 1e-6f), RTOL, ATOL, "rmsNorm bf16 scale c=" + c);
            Twins.close(be -> be.rmsNorm(x, null, 1e-6f), RTOL, ATOL, "rmsNorm c=" + c);
        }
        Tensor offset = Twins.randn(r, 3, 37);
        float[] v = offset.floats();
        for (int i = 0; i < v.length; i++) v[i] = 1000f + v[i];
        Twins.close(be -> be.layerNorm(offset, null, null, 1e-6f), 1e-4, 1e-5, "layerNorm large mean");
    }

    @Test
    void groupNorm() {
        Random r = new Random(2);
        Tensor x = Twins.randn(r, 2, 12, 13, 7), w = Twins.randn(r, 12), b = Twins.randn(r, 12);
        Twins.close(be -> be.groupNorm(x, 4, w, b, 1e-6f), RTOL, ATOL, "groupNorm");
        Twins.close(be -> be.groupNorm(x, 3, null, null, 1e-5f), RTOL, ATOL, "groupNorm plain");
        Tensor big = Twins.randn(r, 1, 6, 61, 59);
        Tensor w6 = Twins.randn(r, 6);
        Twins.close(be -> be.groupNorm(big, 2, w6, null, 1e-6f), RTOL, ATOL, "groupNorm long groups");
    }

    @ParameterizedTest
    @EnumSource(Activation.class)
    void activations(Activation kind) {
        float[] v = new float[1037];
        Random r = new Random(3);
        for (int i = 0; i < v.length; i++) v[i] = (float) (r.nextGaussian() * (i % 3 == 0 ? 8 : 1.5));
        v[0] = 0f; v[1] = -0f; v[2] = 30f; v[3] = -30f; v[4] = 100f; v[5] = -100f; v[6] = 1e-8f;
        Tensor x = Tensor.wrap(v, 17, 61);
        Twins.close(be -> be.activate(x, kind), 2e-6, 1e-7, "activate " + kind);
    }

    @Test
    void elementwiseOpsAreBitwiseTwins() {
        Random r = new Random(4);
        Tensor a = Twins.randn(r, 3, 5, 37), same = Twins.randn(r, 3, 5, 37), row = Twins.randn(r, 37), tail = Twins.randn(r, 5, 37);
        Twins.exact(be -> be.add(a, same), "add");
        Twins.exact(be -> be.add(a, row), "add row broadcast");
        Twins.exact(be -> be.mul(a, tail), "mul suffix broadcast");
        Tensor column = Twins.randn(r, 3, 5, 1), one = Twins.randn(r, 1);
        Twins.exact(be -> be.mul(column, one), "mul length-1 broadcast");
        Twins.exact(be -> be.scale(a, 0.37f), "scale");
        Tensor shift = Twins.randn(r, 3, 37), sc = Twins.randn(r, 3, 37), y = Twins.randn(r, 3, 5, 37);
        Twins.exact(be -> be.modulate(a, shift, sc), "modulate");
        Twins.exact(be -> be.addGated(a, shift.reshape(3, 1, 37), y), "addGated");
        Tensor big = Twins.randn(r, 2, 300, 131), bigRow = Twins.randn(r, 131);
        Twins.exact(be -> be.add(big, bigRow), "add large");
        Twins.exact(be -> be.modulate(big, Twins.randn(new Random(5), 2, 131), Twins.randn(new Random(6), 2, 131)), "modulate large");
    }

    @Test
    void ropeIsBitwiseTwin() {
        Random r = new Random(5);
        Tensor x = Twins.randn(r, 2, 3, 37, 24), pe = Twins.randn(r, 1, 1, 37, 12, 2, 2), peB = Twins.randn(r, 2, 1, 37, 12, 2, 2);
        Twins.exact(be -> be.rope(x, pe), "rope");
        Twins.exact(be -> be.rope(x, peB), "rope per-batch pe");
        Tensor x6 = Twins.randn(r, 1, 2, 5, 6), pe6 = Twins.randn(r, 1, 1, 5, 3, 2, 2);
        Twins.exact(be -> be.rope(x6, pe6), "rope d=6");
    }

    @Test
    void softmax() {
        Random r = new Random(6);
        for (int c : new int[] {1, 13, 67, 1000}) {
            Tensor x = Twins.randn(r, 7, c);
            Twins.close(be -> be.softmax(x), RTOL, 1e-7, "softmax c=" + c);
        }
    }

    @Test
    void upsampleIsBitwiseTwin() {
        Random r = new Random(7);
        Tensor x = Twins.randn(r, 2, 3, 5, 7);
        Twins.exact(be -> be.upsampleNearest2x(x), "upsample");
        Tensor big = Twins.randn(r, 1, 4, 100, 90);
        Twins.exact(be -> be.upsampleNearest2x(big), "upsample large");
    }

    @Test
    void sharedOpsStillWork() {
        Random r = new Random(8);
        Tensor a = Twins.randn(r, 2, 5, 6), b = Twins.randn(r, 2, 3, 6);
        Twins.exact(be -> be.concat(1, java.util.List.of(a, b)), "concat");
        Twins.exact(be -> be.slice(a, 1, 1, 4), "slice");
        Twins.exact(be -> be.permute(a, 2, 0, 1), "permute");
        Tensor t = Tensor.wrap(new float[] {0f, 0.5f, 999f}, 3);
        Twins.exact(be -> be.timestepEmbedding(t, 33, 1000f, 10000f), "timestep embedding");
        Twins.exact(be -> be.embedding(Twins.stored(DType.BF16, Twins.randn(new Random(1), 11, 6)), new long[] {3, 0, 10}), "embedding");
    }

    @Test
    void headSplitAndMergePermutesMatchTheScalarWalk() {
        Random r = new Random(9);
        Tensor qkv = Twins.randn(r, 2, 37, 3, 5, 24);               // [B, L, K, H, D]
        Twins.exact(be -> be.permute(qkv, 2, 0, 3, 1, 4), "head split");
        Tensor heads = Twins.randn(r, 2, 5, 37, 24);                // [B, H, L, D]
        Twins.exact(be -> be.permute(heads, 0, 2, 1, 3), "head merge");
        Tensor big = Twins.randn(r, 1, 300, 3, 6, 40);               // large enough to split across threads
        Twins.exact(be -> be.permute(big, 2, 0, 3, 1, 4), "head split, threaded");
        Tensor one = Twins.randn(r, 1, 1, 7);
        Twins.exact(be -> be.permute(one, 1, 0, 2), "size-1 dims");
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new CpuBackend(2).permute(heads, 0, 0, 1, 3));
    }

    @org.junit.jupiter.api.Test
    void groupNormWithActivationIsActivateOfGroupNorm() {
        java.util.Random r = new java.util.Random(9);
        float[] x = new float[2 * 64 * 5 * 7], w = new float[64], b = new float[64];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian() * 3;
        for (int i = 0; i < 64; i++) { w[i] = 1 + 0.1f * i; b[i] = -0.2f + 0.01f * i; }
        org.uso4j.core.Tensor xt = org.uso4j.core.Tensor.wrap(x, 2, 64, 5, 7), wt = org.uso4j.core.Tensor.wrap(w, 64), bt = org.uso4j.core.Tensor.wrap(b, 64);
        try (CpuBackend cpu = new CpuBackend(3)) {
            for (Activation act : Activation.values()) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(cpu.activate(cpu.groupNorm(xt, 32, wt, bt, 1e-6f), act).floats(),
                        cpu.groupNorm(xt, 32, wt, bt, 1e-6f, act).floats(), act.toString());
            }
            ScalarBackend scalar = new ScalarBackend();
            float[] ref = scalar.groupNorm(xt, 32, wt, bt, 1e-6f, Activation.SILU).floats(), got = cpu.groupNorm(xt, 32, wt, bt, 1e-6f, Activation.SILU).floats();
            for (int i = 0; i < ref.length; i++) org.junit.jupiter.api.Assertions.assertEquals(ref[i], got[i], 1e-5f * (1 + Math.abs(ref[i])));
        }
    }

    @org.junit.jupiter.api.Test
    void upsampledConvolutionIsConvolutionOfTheUpsampledImage() {
        java.util.Random r = new java.util.Random(11);
        float[] x = new float[2 * 5 * 7 * 9], w = new float[4 * 5 * 3 * 3], b = new float[4];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextGaussian();
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.2f;
        for (int i = 0; i < b.length; i++) b[i] = i * 0.1f;
        org.uso4j.core.Tensor xt = org.uso4j.core.Tensor.wrap(x, 2, 5, 7, 9), wt = org.uso4j.core.Tensor.wrap(w, 4, 5, 3, 3), bt = org.uso4j.core.Tensor.wrap(b, 4);
        int[] pad = {1, 1, 1, 1};
        try (CpuBackend cpu = new CpuBackend(3)) {
            float[] expected = cpu.conv2d(cpu.upsampleNearest2x(xt), wt, bt, 1, pad).floats();
            org.uso4j.core.Tensor got = cpu.conv2dUpsampled2x(xt, wt, bt, pad);
            org.junit.jupiter.api.Assertions.assertArrayEquals(new int[]{2, 4, 14, 18}, got.dims());
            org.junit.jupiter.api.Assertions.assertArrayEquals(expected, got.floats(), "bitwise: same panels, same chains");
            float[] scalar = new ScalarBackend().conv2dUpsampled2x(xt, wt, bt, pad).floats();
            for (int i = 0; i < scalar.length; i++) org.junit.jupiter.api.Assertions.assertEquals(scalar[i], got.floats()[i], 1e-4f);
        }
    }
}
