package org.uso4j.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.uso4j.core.DType;
import org.uso4j.core.Tensor;
import org.uso4j.model.flux.FluxConfig;

/** The benchmark's bookkeeping (token counts, FLOP counts, weight encoding); no timing, no JMH. */
class BenchArithmeticTest {

    @Test
    void usoTokenCountsMatchTheIssue() {
        UsoTokens t = UsoTokens.square(512, UsoTokens.DEFAULT_REF_SIZE);
        assertEquals(704, t.txt());
        assertEquals(2048, t.img());
        assertEquals(2752, t.total());
        assertEquals(5824, UsoTokens.square(1024, 512).total());
        assertEquals(1984, UsoTokens.square(256, 512).total());
        assertThrows(IllegalArgumentException.class, () -> UsoTokens.square(500, 512));
    }

    @Test
    void stepFlopsAt512AreAbout40Point8Tera() {
        FluxFlops f = new FluxFlops(FluxConfig.dev(), UsoTokens.square(512, 512));
        assertEquals(40.8e12, f.stepBlocks(), 0.05e12);
        assertEquals(4.0 * 24 * 2752 * 2752 * 128, f.attention(), 1);
    }

    @Test
    void bandedEncodingEqualsWholeMatrixEncoding() {
        int rows = 300, cols = 256; // more rows than one band, so two bands are concatenated
        Tensor banded = RandomWeights.tensor(WeightFormat.Q4_K, 5, "w", rows, cols);
        assertEquals(DType.Q4_K, banded.dtype());
        // the same values, encoded in one piece
        float[] all = new float[rows * cols];
        float[] first = RandomWeights.gaussian(new SplittableRandom(5), 256 * cols, 0, 1 / Math.sqrt(cols));
        float[] second = RandomWeights.gaussian(new SplittableRandom(5 + 31), 44 * cols, 0, 1 / Math.sqrt(cols));
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(second, 0, all, first.length, second.length);
        Tensor whole = WeightFormat.Q4_K.encode(all, rows, cols);
        assertArrayEquals(whole.segment().toArray(ValueLayout.JAVA_BYTE), banded.segment().toArray(ValueLayout.JAVA_BYTE));
    }

    @Test
    void rowsThatAreNotWholeBlocksStayF32() {
        assertEquals(DType.F32, RandomWeights.tensor(WeightFormat.Q4_K, 1, "img_in.weight", 8, 64).dtype());
        assertEquals(DType.Q8_0, RandomWeights.tensor(WeightFormat.Q8_0, 1, "img_in.weight", 8, 64).dtype());
        assertEquals(DType.F32, RandomWeights.tensor(WeightFormat.BF16, 1, "x.bias", 8).dtype());
        assertEquals(WeightFormat.Q8_0, WeightFormat.parse("Q8_0"));
        assertThrows(IllegalArgumentException.class, () -> WeightFormat.parse("q5_k"));
    }

    @Test
    void samplesMedian() {
        assertEquals(2.0, new Samples(new double[]{3, 1, 2}).median());
        assertEquals(2.5, new Samples(new double[]{4, 1, 2, 3}).median());
    }
}
