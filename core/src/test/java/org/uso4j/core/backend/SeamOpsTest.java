package org.uso4j.core.backend;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.uso4j.core.Tensor;

/**
 * The ops that replaced host work of the denoising loop and the VAE posterior ({@code addScaled}, {@code ropeTable},
 * {@code gaussianSample}, {@code allFinite}, {@code zeros}) and the memory members of the host backends.
 */
class SeamOpsTest {

    @Test
    void addScaledIsBitwiseTheTwoRoundingsOfAddAndScale() {
        Random r = new Random(5);
        for (int n : new int[] {1, 7, 67, 1029}) {
            Tensor a = Twins.randn(r, 1, n), b = Twins.randn(r, 1, n);
            float dt = -0.0371f;
            Twins.exact(be -> be.addScaled(a, b, dt), "addScaled n=" + n);
            for (Backend be : new Backend[] {Twins.SCALAR, new CpuBackend(2)}) {
                assertArrayEquals(be.add(a, be.scale(b, dt)).floats(), be.addScaled(a, b, dt).floats(), be.name() + " n=" + n);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Twins.SCALAR.addScaled(Tensor.zeros(2, 3), Tensor.zeros(3), 1f));
    }

    @Test
    void ropeTableIsFluxEmbedNd() {
        Random r = new Random(6);
        int[] axes = {2, 6, 8};
        float[] ids = new float[2 * 11 * 3];
        for (int i = 0; i < ids.length; i++) ids[i] = r.nextInt(70);
        Tensor t = Tensor.wrap(ids, 2, 11, 3);
        Twins.exact(be -> be.ropeTable(t, 10000, axes), "ropeTable");
        Tensor pe = Twins.SCALAR.ropeTable(t, 10000, axes);
        assertArrayEquals(new int[] {2, 1, 11, 8, 2, 2}, pe.dims());
        // token 13, axis 2 (offset 1 + 3 pairs), pair j = 2: angle = id · 1/θ^(2j/8) in double, cos/sin to float
        double angle = ids[13 * 3 + 2] * (1.0 / Math.pow(10000, 4.0 / 8));
        int o = (13 * 8 + 1 + 3 + 2) * 4;
        assertEquals((float) Math.cos(angle), pe.floats()[o]);
        assertEquals(-(float) Math.sin(angle), pe.floats()[o + 1]);
        assertEquals((float) Math.sin(angle), pe.floats()[o + 2]);
        assertEquals((float) Math.cos(angle), pe.floats()[o + 3]);
        assertThrows(IllegalArgumentException.class, () -> Twins.SCALAR.ropeTable(Tensor.zeros(1, 4, 2), 10000, axes));
    }

    @Test
    void gaussianSampleIsMeanPlusStdTimesNoiseAsBefore() {
        Random r = new Random(7);
        Tensor mean = Twins.randn(r, 1, 4, 5, 3), logvar = Twins.randn(r, 1, 4, 5, 3), noise = Twins.randn(r, 1, 4, 5, 3);
        // the formula DiagonalGaussian computed itself before the op: std on the host, then mul and add
        float[] lv = logvar.floats(), std = new float[lv.length];
        for (int i = 0; i < lv.length; i++) std[i] = (float) Math.exp(0.5f * lv[i]);
        for (Backend be : new Backend[] {Twins.SCALAR, new CpuBackend(2)}) {
            Tensor before = be.add(mean, be.mul(Tensor.wrap(std, mean.dims()), noise));
            assertArrayEquals(before.floats(), be.gaussianSample(mean, logvar, noise).floats(), be.name());
        }
        assertThrows(IllegalArgumentException.class, () -> Twins.SCALAR.gaussianSample(mean, logvar, Tensor.zeros(1, 4, 5, 2)));
    }

    @Test
    void allFiniteFindsNanAndInfinity() {
        for (Backend be : new Backend[] {Twins.SCALAR, new CpuBackend(1)}) {
            float[] v = new float[37];
            assertTrue(be.allFinite(Tensor.wrap(v, 37)));
            v[36] = Float.NaN;
            assertFalse(be.allFinite(Tensor.wrap(v, 37)));
            v[36] = 0;
            v[3] = Float.NEGATIVE_INFINITY;
            assertFalse(be.allFinite(Tensor.wrap(v, 37)));
        }
    }

    @Test
    void hostBackendsKeepTensorsWhereTheyAre() {
        Tensor t = Tensor.wrap(new float[] {1, 2, 3}, 3);
        for (Backend be : new Backend[] {Twins.SCALAR, new CpuBackend(1)}) {
            assertSame(t, be.adopt(t));
            assertSame(t, be.toHost(t));
            assertSame(t, be.toDevice(t));
            try (Backend.Scope s = be.scope()) {
                assertSame(Backend.Scope.NONE, s);
                assertSame(t, s.keep(t));
            }
            Tensor z = be.zeros(2, 3);
            assertArrayEquals(new float[6], z.floats());
            assertArrayEquals(new int[] {2, 3}, z.dims());
        }
    }
}
