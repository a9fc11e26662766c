package org.uso4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;
import org.uso4j.core.backend.cpu.attention.FlashAttention;

/** Tiled online-softmax attention of {@link CpuBackend} against the scalar twin. */
public class CpuAttentionTest {
    private static final double RTOL = 2e-5, ATOL = 1e-6;

    private static void check(int b, int h, int lq, int lk, int d, int dv, boolean causal, int biasBatch, long seed) {
        Random r = new Random(seed);
        Tensor q = Twins.randn(r, b, h, lq, d), k = Twins.randn(r, b, h, lk, d), v = Twins.randn(r, b, h, lk, dv);
        Tensor bias = biasBatch == 0 ? null : Twins.randn(r, biasBatch, h, lq, lk);
        float scale = (float) (1 / Math.sqrt(d));
        Twins.close(be -> be.attention(q, k, v, scale, bias, causal), RTOL, ATOL,
                "attention b=" + b + " h=" + h + " lq=" + lq + " lk=" + lk + " d=" + d + " dv=" + dv + " causal=" + causal + " bias=" + biasBatch);
    }

    @Test
    void plain() {
        check(2, 3, 37, 37, 24, 24, false, 0, 1);
        check(1, 2, 5, 150, 24, 40, false, 0, 2);
        check(1, 1, 100, 70, 67, 131, false, 0, 3);
    }

    @Test
    void causal() {
        check(2, 3, 37, 37, 24, 24, true, 0, 4);
        check(1, 2, 150, 150, 16, 24, true, 0, 5);
    }

    @Test
    void additiveBias() {
        check(2, 3, 37, 37, 24, 24, false, 1, 6);
        check(2, 3, 37, 70, 24, 24, false, 2, 7);
        check(2, 2, 19, 19, 8, 8, true, 2, 8);
    }

    @Test
    void boundedLogitsTakeTheFloatKernelsAtFluxHeadSize() {
        Random r = new Random(10);
        int b = 1, h = 2, l = 203, d = 128;
        Tensor q = Twins.randn(r, b, h, l, d), k = Twins.randn(r, b, h, l, d), v = Twins.randn(r, b, h, l, d);
        float scale = (float) (1 / Math.sqrt(d));
        assertTrue(FlashAttention.maxNorm(q.floats(), d) * FlashAttention.maxNorm(k.floats(), d) * scale <= FlashAttention.FLOAT_LOGITS);
        Twins.close(be -> be.attention(q, k, v, scale, null, false), RTOL, ATOL, "float attention d=128");
        Twins.close(be -> be.attention(q, k, v, scale, null, true), RTOL, ATOL, "float attention d=128 causal");
    }

    @Test
    void unscaledLargeLogitsTakeTheDoubleKernels() {
        // T5: q, k ~ N(0, 6²), no 1/sqrt(d), a relative-position bias; logits in the hundreds
        Random r = new Random(11);
        int b = 1, h = 2, l = 150, d = 64;
        Tensor q = Twins.scaled(Twins.randn(r, b, h, l, d), 6f), k = Twins.scaled(Twins.randn(r, b, h, l, d), 6f);
        Tensor v = Twins.randn(r, b, h, l, d), bias = Twins.scaled(Twins.randn(r, 1, h, l, l), 3f);
        assertTrue(FlashAttention.maxNorm(q.floats(), d) * FlashAttention.maxNorm(k.floats(), d) > FlashAttention.FLOAT_LOGITS);
        Twins.close(be -> be.attention(q, k, v, 1f, bias, false), RTOL, ATOL, "T5-like attention");
    }

    @Test
    void maskedKeysViaInfiniteBias() {
        Random r = new Random(9);
        int b = 1, h = 2, l = 70, d = 24;
        Tensor q = Twins.randn(r, b, h, l, d), k = Twins.randn(r, b, h, l, d), v = Twins.randn(r, b, h, l, d);
        float[] mask = new float[h * l * l];
        for (int i = 0; i < mask.length; i++) mask[i] = (i % l) > 50 || (i % 7) == 3 ? Float.NEGATIVE_INFINITY : 0f;
        for (int i = 0; i < h * l; i++) mask[i * l] = 0f; // every query keeps key 0
        Tensor bias = Tensor.wrap(mask, 1, h, l, l);
        Twins.close(be -> be.attention(q, k, v, 0.2f, bias, false), RTOL, ATOL, "attention with -inf mask");
    }
}
